import { sql, type Database, type Kysely, type RawBuilder } from '@cordon/db';

/**
 * The ids of the `root` units and of every unit below them, as an SQL subquery
 * `(WITH RECURSIVE … SELECT id …)`: need-to-know covers one's own sub-units, and every feature that
 * needs a subtree (sign-in's principal, task and commendation filters, custody transfers, the loop check
 * when a unit moves) asks for it this one way. `root` is a value (bound as a parameter), or SQL that
 * yields ids: a column (`sql.ref('u.unit_id')`) or a subquery.
 */
export function subtreeIdsSql(root: unknown): RawBuilder<string> {
  return sql<string>`(WITH RECURSIVE subtree AS (SELECT x.id FROM org_units x WHERE x.id IN (${root})
      UNION SELECT c.id FROM org_units c JOIN subtree ON c.parent_id = subtree.id)
    SELECT subtree.id FROM subtree)`;
}

/** The unit and every unit below it. */
export async function unitSubtree(db: Kysely<Database>, root: unknown): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`SELECT s.id FROM ${subtreeIdsSql(root)} AS s(id)`.execute(db);
  return rows.map((r) => r.id);
}
