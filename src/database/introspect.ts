/**
 * Tables and columns of a live database, as the same items a scan reads from migrations, so that
 * a migrated database can be compared with the code: PostgreSQL (`postgres://`, `postgresql://`)
 * through its information schema, SQLite (`sqlite:`, `sqlite://`, `file:`) through its catalog.
 */
import { fileURLToPath } from 'node:url'
import { ParityError } from '../model/errors.js'
import type { ColumnItem, TableItem } from '../model/inventory.js'
import { normalizeColumnType } from '../model/column-type.js'
import { SchemaState, type ColumnStep } from './schema.js'

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
}

const PG_TABLES = `SELECT table_schema, table_name FROM information_schema.tables
  WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
  ORDER BY table_schema, table_name`
const PG_COLUMNS = `SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable
  FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
  WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
  ORDER BY c.table_schema, c.table_name, c.ordinal_position`

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
    const state = new SchemaState()
    const name = (r: TableRow) => `${r.table_schema}.${r.table_name}`
    const byTable = new Map<string, ColumnStep[]>()
    for (const c of columns) {
      // Arrays are `ARRAY` with an element type `_int4`; enums and domains are `USER-DEFINED`.
      const raw = c.data_type === 'ARRAY' ? `${c.udt_name.replace(/^_/, '')}[]` : c.data_type === 'USER-DEFINED' ? c.udt_name : c.data_type
      const list = byTable.get(name(c)) ?? []
      list.push({ name: c.column_name, type: normalizeColumnType(raw), nullable: c.is_nullable === 'YES', line: 1 })
      byTable.set(name(c), list)
    }
    for (const t of tables) {
      state.apply({ op: 'create-table', table: name(t), columns: byTable.get(name(t)) ?? [], line: 1, origin: 'postgres', file: where })
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
      const columns = info.map((c) => ({ name: c.name, type: normalizeColumnType(c.type || 'blob'), nullable: !c.notnull && !c.pk, line: 1 }))
      state.apply({ op: 'create-table', table: name, columns, line: 1, origin: 'sqlite', file: path })
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
