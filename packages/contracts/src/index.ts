export * from './common.js';
export * from './org.js';
export * from './auth.js';
export * from './users.js';
export * from './audit.js';
export * from './navigation.js';
export * from './format.js';
export * from './reference.js';
