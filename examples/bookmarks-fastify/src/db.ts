import Database from 'better-sqlite3'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const migrations = join(import.meta.dirname, '..', 'migrations')

/** Opens `DATABASE` (default in memory) and applies migrations/*.sql not applied yet, in name order. */
export function openDatabase(file = process.env.DATABASE ?? ':memory:'): Database.Database {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)')
  const applied = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[])
  for (const name of readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort()) {
    if (applied.has(name)) continue
    db.transaction(() => {
      db.exec(readFileSync(join(migrations, name), 'utf8'))
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(name, new Date().toISOString())
    })()
  }
  return db
}

export const db: Database.Database = openDatabase()
