export * from './deadlines.js';
export * from './tasks.js';
