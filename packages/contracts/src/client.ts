/**
 * The zod-free part of the contracts, for the web bundle: importing the package root builds every zod
 * schema at import time (the bundler cannot prove those calls pure), which would ship all of zod.
 * Types still come from the root with `import type`, which costs nothing.
 */
export * from './constants.js';
export * from './navigation.js';
export * from './format.js';
export * from './directives-constants.js';
export * from './typed.js';
