export * from './text.js';
export * from './forces.js';
export * from './provinces.js';
export * from './goods.js';
export * from './violations.js';
export * from './routes.js';
export * from './importers/index.js';
export * from './province-points.js';
