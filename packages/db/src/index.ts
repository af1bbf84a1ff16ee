export { createDb, type Db, type DbOptions, type Engine } from './db.js';
export { migrate, migrationStatus, listMigrations, type Migration, type MigrationStatus } from './migrate.js';
export { backupDb, restoreDb, quoteIdent, tablesInDependencyOrder } from './backup.js';
export type * from './schema.js';
export { sql, type Kysely, type RawBuilder, type Transaction, type Selectable, type Insertable, type Updateable } from 'kysely';
