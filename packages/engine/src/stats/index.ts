export * from './periods.js';
export * from './hotspots.js';
export * from './narrative.js';
export * from './suppress.js';
