/**
 * Tables and columns of a live database, as the same items a scan reads from migrations, so that
 * a migrated database can be compared with the code: PostgreSQL (`postgres://`, `postgresql://`)
 * through its information schema, SQLite (`sqlite:`, `sqlite://`, `file:`) through its catalog.
 */
import { fileURLToPath } from 'node:url'
import { ParityError } from '../model/errors.js'
import { databaseType, normalizeColumnType } from '../model/column-type.js'
import type { ColumnItem, ForeignKeyAction, TableItem } from '../model/inventory.js'
import { SchemaState, type ColumnStep, type ForeignKeyStep } from './schema.js'

export interface IntrospectOptions {
  /** How long to wait for the server to answer, in milliseconds. Default 3000. */
  timeoutMs?: number
}

/** Read the schema of the database at `url`; a database that does not answer is a DB_UNREACHABLE error. */
export async function introspectDatabase(url: string, options: IntrospectOptions = {}): Promise<Array<TableItem | ColumnItem>> {
  const timeoutMs = options.timeoutMs ?? 3000
  if (/^postgres(ql)?:\/\//i.test(url)) return introspectPostgres(url, timeoutMs)
  if (/^(sqlite|file):/i.test(url)) return introspectSqlite(url)
  throw new ParityError(
    'DB_URL_UNSUPPORTED',
    `cannot read a database at ${redact(url)}`,
    'give a postgres://user:pass@host:5432/db URL or a sqlite:path/to/file.db path',
  )
}

/** The URL without its user and password, to name the database in items and messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    return u.toString()
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//')
  }
}

interface TableRow {
  table_schema: string
  table_name: string
}
interface ColumnRow extends TableRow {
  column_name: string
  data_type: string
  udt_name: string
  is_nullable: 'YES' | 'NO'
  character_maximum_length: number | null
  datetime_precision: number | null
  numeric_precision: number | null
  numeric_scale: number | null
}
interface KeyRow extends TableRow {
  column_name: string
  foreign_schema: string
  foreign_table: string
  foreign_column: string
  delete_rule: string
  update_rule: string
  primary_key: boolean
}

const PG_TABLES = `SELECT table_schema, table_name FROM information_schema.tables
  WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
  ORDER BY table_schema, table_name`
const PG_COLUMNS = `SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable,
  c.character_maximum_length, c.datetime_precision, c.numeric_precision, c.numeric_scale
  FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
  WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
  ORDER BY c.table_schema, c.table_name, c.ordinal_position`

/** Foreign keys column by column (a composite key's columns matched by position), and primary key columns (foreign_table null). */
const PG_KEYS = `SELECT kcu.table_schema, kcu.table_name, kcu.column_name, ref.table_schema AS foreign_schema, ref.table_name AS foreign_table,
  ref.column_name AS foreign_column, rc.delete_rule, rc.update_rule, tc.constraint_type = 'PRIMARY KEY' AS primary_key
  FROM information_schema.table_constraints tc
  JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
  LEFT JOIN information_schema.referential_constraints rc ON rc.constraint_schema = tc.constraint_schema AND rc.constraint_name = tc.constraint_name
  LEFT JOIN information_schema.key_column_usage ref ON ref.constraint_schema = rc.unique_constraint_schema
    AND ref.constraint_name = rc.unique_constraint_name AND ref.ordinal_position = kcu.position_in_unique_constraint
  WHERE tc.constraint_type IN ('FOREIGN KEY', 'PRIMARY KEY') AND tc.table_schema NOT IN ('pg_catalog', 'information_schema')
  ORDER BY kcu.table_schema, kcu.table_name, kcu.ordinal_position`

const ACTIONS = new Set<ForeignKeyAction>(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'])
const action = (rule: string | undefined): ForeignKeyAction | undefined => {
  const a = rule?.toUpperCase() as ForeignKeyAction | undefined
  return a && ACTIONS.has(a) ? a : undefined
}

/** The database type of an information_schema column: `varchar(255)`, `timestamp(3)`, `timestamptz`, `numeric(10,2)`. */
function pgColumnType(c: ColumnRow): string {
  if (c.data_type === 'ARRAY') return `${databaseType(c.udt_name.replace(/^_/, ''))}[]`
  if (c.data_type === 'USER-DEFINED') return c.udt_name
  const base = databaseType(c.data_type)
  if (c.character_maximum_length !== null && (base === 'varchar' || base === 'char')) return `${base}(${c.character_maximum_length})`
  // PostgreSQL's default precision (6) is left unwritten, as in `timestamptz`.
  if (c.datetime_precision !== null && c.datetime_precision !== 6 && /^(timestamp|timestamptz|time|timetz)$/.test(base))
    return `${base}(${c.datetime_precision})`
  if (base === 'numeric' && c.numeric_precision !== null) return `numeric(${c.numeric_precision},${c.numeric_scale ?? 0})`
  return base
}

async function introspectPostgres(url: string, timeoutMs: number): Promise<Array<TableItem | ColumnItem>> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs * 10 })
  // An error after connecting (server shut down) must not crash the process.
  client.on('error', () => {})
  const where = redact(url)
  try {
    await client.connect()
  } catch (e) {
    await client.end().catch(() => {})
    throw new ParityError(
      'DB_UNREACHABLE',
      `cannot connect to ${where}: ${(e as Error).message || String(e)}`,
      'start the database, or fix the URL (host, port, user, password, database name)',
    )
  }
  try {
    const tables = (await client.query<TableRow>(PG_TABLES)).rows
    const columns = (await client.query<ColumnRow>(PG_COLUMNS)).rows
    const keys = (await client.query<KeyRow>(PG_KEYS)).rows
    const state = new SchemaState()
    const name = (r: TableRow) => `${r.table_schema}.${r.table_name}`
    const byTable = new Map<string, ColumnStep[]>()
    for (const c of columns) {
      // Arrays are `ARRAY` with an element type `_int4`; enums and domains are `USER-DEFINED`.
      const raw = c.data_type === 'ARRAY' ? `${c.udt_name.replace(/^_/, '')}[]` : c.data_type === 'USER-DEFINED' ? c.udt_name : c.data_type
      const list = byTable.get(name(c)) ?? []
      list.push({ name: c.column_name, type: normalizeColumnType(raw), dbType: pgColumnType(c), nullable: c.is_nullable === 'YES', line: 1 })
      byTable.set(name(c), list)
    }
    const foreignKeys = new Map<string, ForeignKeyStep[]>()
    const primaryKeys = new Map<string, string[]>()
    for (const k of keys) {
      if (k.primary_key) {
        primaryKeys.set(name(k), [...(primaryKeys.get(name(k)) ?? []), k.column_name])
        continue
      }
      if (!k.foreign_table) continue
      const fk: ForeignKeyStep = { columns: [k.column_name], table: `${k.foreign_schema}.${k.foreign_table}`, references: [k.foreign_column], line: 1 }
      const onDelete = action(k.delete_rule)
      const onUpdate = action(k.update_rule)
      if (onDelete) fk.onDelete = onDelete
      if (onUpdate) fk.onUpdate = onUpdate
      foreignKeys.set(name(k), [...(foreignKeys.get(name(k)) ?? []), fk])
    }
    for (const t of tables) {
      state.apply({
        op: 'create-table',
        table: name(t),
        columns: byTable.get(name(t)) ?? [],
        foreignKeys: foreignKeys.get(name(t)) ?? [],
        primaryKey: primaryKeys.get(name(t)) ?? [],
        line: 1,
        origin: 'postgres',
        file: where,
      })
    }
    return state.items()
  } catch (e) {
    throw new ParityError(
      'DB_QUERY_FAILED',
      `cannot read the schema of ${where}: ${(e as Error).message}`,
      'connect as a user that may read information_schema',
    )
  } finally {
    await client.end().catch(() => {})
  }
}

interface SqliteKey {
  table: string
  from: string
  /** Null when the key names no column: the referenced table's primary key. */
  to: string | null
  on_update: string
  on_delete: string
}

interface SqliteColumn {
  name: string
  type: string
  notnull: number
  pk: number
}

async function introspectSqlite(url: string): Promise<Array<TableItem | ColumnItem>> {
  const path = sqlitePath(url)
  const { default: Database } = await import('better-sqlite3')
  let db: InstanceType<typeof Database> | undefined
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get()
  } catch (e) {
    db?.close()
    throw new ParityError(
      'DB_UNREACHABLE',
      `cannot open the SQLite database ${path}: ${(e as Error).message}`,
      'give the path of an existing SQLite file: sqlite:./data/app.db',
    )
  }
  try {
    const state = new SchemaState()
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ name: string }>
    for (const { name } of tables) {
      const info = db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?)').all(name) as SqliteColumn[]
      // As in migrations, a primary key column counts as NOT NULL.
      const columns = info.map((c) => ({
        name: c.name,
        type: normalizeColumnType(c.type || 'blob'),
        dbType: databaseType(c.type || 'blob'),
        nullable: !c.notnull && !c.pk,
        line: 1,
      }))
      const keys = db.prepare('SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(name) as SqliteKey[]
      const foreignKeys = keys.map((k) => {
        const fk: ForeignKeyStep = { columns: [k.from], table: k.table, line: 1 }
        if (k.to) fk.references = [k.to]
        const onDelete = action(k.on_delete)
        const onUpdate = action(k.on_update)
        if (onDelete) fk.onDelete = onDelete
        if (onUpdate) fk.onUpdate = onUpdate
        return fk
      })
      const primaryKey = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name)
      state.apply({ op: 'create-table', table: name, columns, foreignKeys, primaryKey, line: 1, origin: 'sqlite', file: path })
    }
    return state.items()
  } finally {
    db.close()
  }
}

/** `sqlite:data/app.db`, `sqlite://./app.db`, `sqlite:///abs/app.db`, `file:app.db`, `file:///abs/app.db`. */
function sqlitePath(url: string): string {
  const query = url.indexOf('?')
  const bare = query < 0 ? url : url.slice(0, query)
  if (/^file:\/\//i.test(bare)) return fileURLToPath(bare)
  const rest = bare.slice(bare.indexOf(':') + 1)
  return rest.startsWith('//') ? rest.slice(2) : rest
}
