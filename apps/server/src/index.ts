export { loadConfig, testConfig, ConfigError, type Config } from './config.js';
export { createServices, type Services } from './services.js';
export { buildApp } from './app.js';
export { seedDemo, seedOrganisation, DEMO_USERS } from './features/demo/demo.seed.js';
export { seedDemoCases, type DemoCasesOptions, type DemoCasesResult } from './features/demo/demo-cases.seed.js';
export { systemClock, type Clock } from './lib/clock.js';
export { AppError } from './errors.js';
export { createReferenceService, type ReferenceService } from './features/reference/reference.service.js';
export { createCasesImportService, type CasesImportService } from './features/cases/import/cases-import.service.js';
