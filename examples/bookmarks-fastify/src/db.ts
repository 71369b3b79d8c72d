import Database from 'better-sqlite3'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const migrations = join(import.meta.dirname, '..', 'migrations')

const columnsOf = (db: Database.Database, table: string): Set<string> =>
  new Set((db.pragma(`table_info(${JSON.stringify(table)})`) as { name: string }[]).map((c) => c.name))

/**
 * One migration statement, tolerant of a schema another service already created in a shared
 * database: a table that exists gets only the columns it lacks, a column that exists is not added
 * again (SQLite has no ADD COLUMN IF NOT EXISTS).
 */
function applyStatement(db: Database.Database, sql: string): void {
  const create = /^CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\(([\s\S]*)\)$/i.exec(sql)
  if (create && columnsOf(db, create[1]!).size) {
    const have = columnsOf(db, create[1]!)
    for (const def of create[2]!.split(/,\s*\n/).map((d) => d.trim())) {
      const column = /^(\w+)\s/.exec(def)?.[1]
      if (column && !/^(PRIMARY|FOREIGN|UNIQUE|CHECK|CONSTRAINT)$/i.test(column) && !have.has(column)) db.exec(`ALTER TABLE ${create[1]} ADD COLUMN ${def}`)
    }
    return
  }
  const alter = /^ALTER TABLE (\w+) ADD COLUMN (\w+)/i.exec(sql)
  if (alter && columnsOf(db, alter[1]!).has(alter[2]!)) return
  db.exec(sql)
}

/** Opens `DATABASE` (default in memory) and applies migrations/*.sql not applied yet, in name order. */
export function openDatabase(file = process.env.DATABASE ?? ':memory:'): Database.Database {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)')
  const applied = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[])
  for (const name of readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort()) {
    if (applied.has(name)) continue
    db.transaction(() => {
      const sql = readFileSync(join(migrations, name), 'utf8').replace(/--.*$/gm, '')
      for (const statement of sql.split(';').map((s) => s.trim()).filter(Boolean)) applyStatement(db, statement)
      db.prepare('INSERT OR IGNORE INTO schema_migrations VALUES (?, ?)').run(name, new Date().toISOString())
    })()
  }
  return db
}

export const db: Database.Database = openDatabase()
