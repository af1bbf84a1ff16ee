export * from './access/policy.js';
export * from './cases/workflow.js';
export * from './resolve/identifiers.js';
