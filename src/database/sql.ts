/**
 * Schema steps from SQL migrations (PostgreSQL, MySQL, SQLite). Each statement that creates,
 * alters, renames or drops a table is parsed with a real SQL parser: pgsql-ast-parser first
 * (the most complete PostgreSQL DDL grammar), then node-sql-parser's PostgreSQL, MySQL and SQLite
 * grammars. A statement none of them accepts is an SQL_PARSE_ERROR; the rest of the file applies.
 */
import { createRequire } from 'node:module'
import type { Diagnostic } from '../model/inventory.js'
import { normalizeColumnType } from '../model/column-type.js'
import type { ColumnStep, SchemaStep } from './schema.js'
import { schemaStatementKind, splitStatements, type SqlStatement, type SqlToken } from './statements.js'

const require = createRequire(import.meta.url)

/** Steps of one migration file, in order; problems go to `diagnostics`. */
export function readSqlMigration(file: string, source: string, diagnostics: Diagnostic[]): SchemaStep[] {
  const steps: SchemaStep[] = []
  // The grammar that read the file's last statement is tried first for the next one.
  let preferred: Grammar | undefined
  for (const statement of splitStatements(source)) {
    if (!schemaStatementKind(statement)) continue
    const parsed = parseStatement(statement, file, preferred)
    if ('error' in parsed) {
      diagnostics.push({ level: 'warn', code: 'SQL_PARSE_ERROR', file, line: parsed.line, message: parsed.error })
      continue
    }
    preferred = parsed.grammar
    steps.push(...parsed.steps)
  }
  return steps
}

/** pgsql-ast-parser (`pg`), then node-sql-parser's dialects. */
type Grammar = 'pg' | Dialect

type Parsed = { steps: SchemaStep[]; grammar: Grammar } | { error: string; line: number }

function parseStatement(statement: SqlStatement, file: string, preferred: Grammar | undefined): Parsed {
  const lines = new ColumnLines(statement)
  // Backticks are MySQL (and SQLite) quoting, which PostgreSQL grammars reject anyway.
  const backticks = statement.tokens.some((t) => t.kind === 'quoted' && statement.text[t.offset - statement.tokens[0]!.offset] === '`')
  const order: Grammar[] = backticks ? ['mysql', 'sqlite'] : ['pg', 'postgresql', 'mysql', 'sqlite']
  if (preferred && order.includes(preferred)) order.sort((a, b) => Number(b === preferred) - Number(a === preferred))
  let first: { message: string; line: number } | undefined
  for (const grammar of order) {
    try {
      if (grammar === 'pg') return { steps: fromPgAst(pgParse(statement.text), statement, lines, file), grammar }
      const ast = sqlParser(grammar).astify(statement.text, { database: DATABASES[grammar] })
      return { steps: fromNodeSqlAst(Array.isArray(ast) ? ast : [ast], statement, lines, file), grammar }
    } catch (e) {
      // pgsql-ast-parser's messages list its whole grammar state: node-sql-parser's locate the problem better.
      if (grammar === 'pg') continue
      const err = e as { message?: string; location?: { start?: { line?: number; column?: number } } }
      const start = err.location?.start
      // node-sql-parser lists every token it expected; what it found, and where, is what helps.
      const found = / but (.+) found\.?$/.exec(String(err.message ?? ''))?.[1]
      const message = found ? `unexpected ${found}${start?.column ? ` at column ${start.column}` : ''}` : String(err.message ?? e)
      first ??= { message, line: statement.line + (start?.line ?? 1) - 1 }
    }
  }
  const head = statement.tokens
    .slice(0, 3)
    .map((t) => t.text)
    .join(' ')
  const why = first!.message.length > 160 ? `${first!.message.slice(0, 157)}...` : first!.message
  return { error: `cannot parse "${head} ..." as PostgreSQL, MySQL or SQLite: ${why}`, line: first!.line }
}

// ---- pgsql-ast-parser ----

interface PgName {
  name: string
  schema?: string
}
interface PgDataType {
  kind?: 'array'
  arrayOf?: PgDataType
  name?: string
}
interface PgConstraint {
  type: string
  columns?: PgName[]
}
interface PgColumn {
  kind: string
  name: PgName
  dataType: PgDataType
  constraints?: PgConstraint[]
}
type PgStatement =
  | { type: 'create table'; name: PgName; ifNotExists?: boolean; temporary?: boolean; columns: PgColumn[]; constraints?: PgConstraint[] }
  | { type: 'alter table'; table: PgName; changes: PgChange[] }
  | { type: 'drop table'; names: PgName[] }
  | { type: string }
interface PgChange {
  type: string
  column?: PgColumn & PgName
  to?: PgName
  alter?: { type: string; dataType?: PgDataType }
  constraint?: PgConstraint
}

let pgParser: ((sql: string) => PgStatement[]) | undefined
function pgParse(sql: string): PgStatement[] {
  pgParser ??= (require('pgsql-ast-parser') as { parse: (sql: string) => PgStatement[] }).parse
  return pgParser(sql)
}

const qualified = (n: PgName) => (n.schema ? `${n.schema}.${n.name}` : n.name)

function pgType(t: PgDataType): string {
  if (t.kind === 'array' && t.arrayOf) return `${pgType(t.arrayOf)}[]`
  return normalizeColumnType(t.name ?? 'unknown')
}

function pgColumn(c: PgColumn, lines: ColumnLines, keys: Set<string>): ColumnStep {
  const has = (type: string) => (c.constraints ?? []).some((k) => k.type === type)
  const notNull = has('not null') || has('primary key') || keys.has(c.name.name.toLowerCase())
  return { name: c.name.name, type: pgType(c.dataType), nullable: !notNull, line: lines.of(c.name.name) }
}

function fromPgAst(statements: PgStatement[], statement: SqlStatement, lines: ColumnLines, file: string): SchemaStep[] {
  const steps: SchemaStep[] = []
  const step = (s: Omit<SchemaStep, 'origin' | 'file' | 'line'>) => steps.push({ ...s, origin: 'sql', file, line: statement.line })
  for (const s of statements) {
    if (s.type === 'create table' && 'columns' in s) {
      if (s.temporary) continue
      const keys = primaryKeyColumns(s.constraints ?? [])
      const columns = s.columns.filter((c) => c.kind === 'column').map((c) => pgColumn(c, lines, keys))
      step({ op: 'create-table', table: qualified(s.name), columns, ifNotExists: s.ifNotExists === true })
    } else if (s.type === 'drop table' && 'names' in s) {
      for (const n of s.names) step({ op: 'drop-table', table: qualified(n) })
    } else if (s.type === 'alter table' && 'changes' in s) {
      let table = qualified(s.table)
      for (const change of s.changes) {
        const column = change.column
        switch (change.type) {
          case 'add column':
            if (column) step({ op: 'add-column', table, columns: [pgColumn(column, lines, new Set())] })
            break
          case 'drop column':
            if (column) step({ op: 'drop-column', table, column: column.name })
            break
          case 'rename':
            if (change.to) {
              step({ op: 'rename-table', table, to: change.to.name })
              table = change.to.name
            }
            break
          case 'rename column':
            if (column && change.to) step({ op: 'rename-column', table, column: column.name, to: change.to.name })
            break
          case 'alter column': {
            if (!column || !change.alter) break
            const line = lines.of(column.name)
            const a = change.alter
            if (a.type === 'set type' && a.dataType) step({ op: 'alter-column', table, columns: [{ name: column.name, type: pgType(a.dataType), line }] })
            else if (a.type === 'set not null' || a.type === 'drop not null') {
              step({ op: 'alter-column', table, columns: [{ name: column.name, nullable: a.type === 'drop not null', line }] })
            }
            break
          }
          case 'add constraint':
            for (const name of primaryKeyColumns(change.constraint ? [change.constraint] : [])) {
              step({ op: 'alter-column', table, columns: [{ name, nullable: false, line: lines.of(name) }] })
            }
            break
        }
      }
    }
  }
  return steps
}

function primaryKeyColumns(constraints: PgConstraint[]): Set<string> {
  const keys = new Set<string>()
  for (const c of constraints) if (c.type === 'primary key') for (const col of c.columns ?? []) keys.add(col.name.toLowerCase())
  return keys
}

// ---- node-sql-parser ----

type Dialect = 'postgresql' | 'mysql' | 'sqlite'
const DATABASES: Record<Dialect, string> = { postgresql: 'PostgresQL', mysql: 'MySQL', sqlite: 'Sqlite' }

interface NsParser {
  astify(sql: string, options: { database: string }): NsStatement | NsStatement[]
}
type NsRef = { column?: string | { expr?: { value?: string } } } | string
interface NsTable {
  db?: string | null
  table: string
}
interface NsDefinition {
  resource?: string
  action?: string
  column?: NsRef
  old_column?: NsRef
  definition?: { dataType?: string; suffix?: unknown } | NsRef[]
  nullable?: { type?: string; action?: string } | null
  primary_key?: string | null
  constraint_type?: string
  create_definitions?: NsDefinition
  table?: string
}
interface NsStatement {
  type: string
  keyword?: string
  temporary?: string | null
  if_not_exists?: string | null
  table?: NsTable[] | Array<[NsTable, NsTable]>
  name?: NsTable[]
  create_definitions?: NsDefinition[] | null
  expr?: NsDefinition[]
}

const parsers = new Map<Dialect, NsParser>()
function sqlParser(dialect: Dialect): NsParser {
  let parser = parsers.get(dialect)
  if (!parser) {
    // One grammar per dialect, loaded only when a statement needs it.
    const { Parser } = require(`node-sql-parser/build/${dialect}`) as { Parser: new () => NsParser }
    parser = new Parser()
    parsers.set(dialect, parser)
  }
  return parser
}

const nsTable = (t: NsTable) => (t.db ? `${t.db}.${t.table}` : t.table)

function nsName(ref: NsRef | undefined): string | undefined {
  if (ref === undefined) return undefined
  if (typeof ref === 'string') return ref
  const c = ref.column
  return typeof c === 'string' ? c : c?.expr?.value
}

function nsType(def: NsDefinition['definition']): string | undefined {
  if (!def || Array.isArray(def) || !def.dataType) return undefined
  const suffix = Array.isArray(def.suffix) ? def.suffix.filter((s): s is string => typeof s === 'string') : []
  // `TIMESTAMP WITH TIME ZONE` keeps its suffix; `INT UNSIGNED` does not.
  const zone = suffix.length && ['with', 'without'].includes(suffix[0]!.toLowerCase()) ? ` ${suffix.join(' ')}` : ''
  return normalizeColumnType(`${def.dataType}${zone}`)
}

/** A full column definition: NULL unless it says NOT NULL or is (part of) the primary key. */
function nsColumn(d: NsDefinition, lines: ColumnLines, keys: Set<string>): ColumnStep | undefined {
  const name = nsName(d.column)
  if (!name) return undefined
  const notNull = d.nullable?.type === 'not null' || !!d.primary_key || keys.has(name.toLowerCase())
  return { name, type: nsType(d.definition) ?? 'unknown', nullable: !notNull, line: lines.of(name) }
}

function nsPrimaryKey(d: NsDefinition | undefined): string[] {
  if (d?.resource !== 'constraint' || d.constraint_type?.toLowerCase() !== 'primary key' || !Array.isArray(d.definition)) return []
  return d.definition.map((r) => nsName(r)).filter((n): n is string => !!n)
}

function fromNodeSqlAst(statements: NsStatement[], statement: SqlStatement, lines: ColumnLines, file: string): SchemaStep[] {
  const steps: SchemaStep[] = []
  const step = (s: Omit<SchemaStep, 'origin' | 'file' | 'line'>) => steps.push({ ...s, origin: 'sql', file, line: statement.line })
  for (const s of statements) {
    if (s.type === 'create' && s.keyword === 'table') {
      if (s.temporary) continue
      const table = (s.table as NsTable[] | undefined)?.[0]
      if (!table) continue
      const defs = s.create_definitions ?? []
      const keys = new Set(defs.flatMap((d) => nsPrimaryKey(d)).map((k) => k.toLowerCase()))
      const columns = defs.filter((d) => d.resource === 'column').flatMap((d) => nsColumn(d, lines, keys) ?? [])
      step({ op: 'create-table', table: nsTable(table), columns, ifNotExists: !!s.if_not_exists })
    } else if (s.type === 'drop' && s.keyword === 'table') {
      for (const t of s.name ?? []) step({ op: 'drop-table', table: nsTable(t) })
    } else if (s.type === 'rename') {
      for (const pair of (s.table ?? []) as Array<[NsTable, NsTable]>) step({ op: 'rename-table', table: nsTable(pair[0]), to: nsTable(pair[1]) })
    } else if (s.type === 'alter') {
      const first = (s.table as NsTable[] | undefined)?.[0]
      if (!first) continue
      let table = nsTable(first)
      for (const d of s.expr ?? []) {
        const name = nsName(d.column)
        if (d.action === 'add' && d.resource === 'column') {
          const c = nsColumn(d, lines, new Set())
          if (c) step({ op: 'add-column', table, columns: [c] })
        } else if (d.action === 'add' && d.resource === 'constraint') {
          for (const key of nsPrimaryKey(d.create_definitions))
            step({ op: 'alter-column', table, columns: [{ name: key, nullable: false, line: lines.of(key) }] })
        } else if (d.action === 'drop' && d.resource === 'column' && name) {
          step({ op: 'drop-column', table, column: name })
        } else if (d.action === 'rename' && d.resource === 'table' && d.table) {
          step({ op: 'rename-table', table, to: d.table })
          table = d.table
        } else if (d.action === 'rename' && d.resource === 'column') {
          const from = nsName(d.old_column)
          if (from && name) step({ op: 'rename-column', table, column: from, to: name })
        } else if (d.action === 'alter' && name) {
          // PostgreSQL: `ALTER COLUMN c TYPE t` or `SET / DROP NOT NULL`.
          const type = nsType(d.definition)
          const nullable = d.nullable?.action === 'set' ? false : d.nullable?.action === 'drop' ? true : undefined
          if (type !== undefined || nullable !== undefined) step({ op: 'alter-column', table, columns: [{ name, type, nullable, line: lines.of(name) }] })
        } else if (d.action === 'modify' || d.action === 'change') {
          // MySQL: MODIFY restates the whole column (NULL unless NOT NULL); CHANGE also renames it.
          const from = d.action === 'change' ? nsName(d.old_column) : name
          if (!from || !name) continue
          if (from.toLowerCase() !== name.toLowerCase()) step({ op: 'rename-column', table, column: from, to: name })
          const c = nsColumn(d, lines, new Set())
          if (c) step({ op: 'alter-column', table, columns: [c] })
        }
      }
    }
  }
  return steps
}

/**
 * Line of each column name in a statement: the word that opens an element of the column list
 * (`CREATE TABLE t (name ...,`), else the first word naming it after the table's name.
 */
class ColumnLines {
  private readonly index = new Map<string, number>()
  constructor(private readonly statement: SqlStatement) {
    const tokens = statement.tokens
    const named = (t: SqlToken) => t.kind === 'word' || t.kind === 'quoted'
    tokens.forEach((t, i) => {
      const prev = tokens[i - 1]
      const opens = t.depth === 1 && prev?.kind === 'punct' && ((prev.text === '(' && prev.depth === 0) || (prev.text === ',' && prev.depth === 1))
      if (opens && named(t) && !this.index.has(t.text.toLowerCase())) this.index.set(t.text.toLowerCase(), t.line)
    })
    // Skip `CREATE TABLE name` / `ALTER TABLE name` so a column named like the table is not matched there.
    for (const t of tokens.slice(3)) {
      const k = t.text.toLowerCase()
      if (named(t) && !this.index.has(k)) this.index.set(k, t.line)
    }
  }

  of(name: string): number {
    return this.index.get(name.toLowerCase()) ?? this.statement.line
  }
}
