export * from './lifecycle.js';
export * from './deadlines.js';
