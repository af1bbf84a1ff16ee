export * from './access/policy.js';
export * from './cases/workflow.js';
export * from './resolve/identifiers.js';
export * from './resolve/index.js';
export * from './cases/joint.js';
export * from './stats/index.js';
export * from './synth/cases.js';
export * from './risk/index.js';
