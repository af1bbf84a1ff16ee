/** The same server, another database name. */
export function databaseUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

/** Where to run CREATE/DROP DATABASE: the database named in DATABASE_URL itself. */
export function adminUrlFor(url: string): string {
  return url;
}
