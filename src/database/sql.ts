/**
 * Schema steps from SQL migrations (PostgreSQL, MySQL, SQLite). Each statement that creates,
 * alters, renames or drops a table is parsed with a real SQL parser: pgsql-ast-parser first
 * (the most complete PostgreSQL DDL grammar), then node-sql-parser's PostgreSQL, MySQL and SQLite
 * grammars. A statement none of them accepts is an SQL_PARSE_ERROR; the rest of the file applies.
 */
import { createRequire } from 'node:module'
import { databaseType, normalizeColumnType } from '../model/column-type.js'
import type { Diagnostic, ForeignKeyAction } from '../model/inventory.js'
import type { ColumnStep, ForeignKeyStep, SchemaStep } from './schema.js'
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
  config?: number[]
}
interface PgConstraint {
  type: string
  columns?: PgName[]
  localColumns?: PgName[]
  foreignTable?: PgName
  foreignColumns?: PgName[]
  onDelete?: string
  onUpdate?: string
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

/** `varchar(255)`, `timestamptz`, `bigint` for a `BIGSERIAL`; and the type as written, upper-cased. */
function pgDbType(t: PgDataType): { dbType: string; declared: string } {
  if (t.kind === 'array' && t.arrayOf) {
    const of = pgDbType(t.arrayOf)
    return { dbType: `${of.dbType}[]`, declared: `${of.declared}[]` }
  }
  const name = t.name ?? 'unknown'
  const args = t.config?.length ? `(${t.config.join(',')})` : ''
  // `timestamp(3) with time zone`: the parser names it `timestamp with time zone` with config [3].
  const zone = / with(out)? time zone$/.exec(name)?.[0] ?? ''
  const written = `${name.slice(0, name.length - zone.length)}${args}${zone}`
  return { dbType: databaseType(written), declared: written.toUpperCase() }
}

function pgColumn(c: PgColumn, lines: ColumnLines, keys: Set<string>): ColumnStep {
  const has = (type: string) => (c.constraints ?? []).some((k) => k.type === type)
  const notNull = has('not null') || has('primary key') || keys.has(c.name.name.toLowerCase())
  return { name: c.name.name, type: pgType(c.dataType), ...pgDbType(c.dataType), nullable: !notNull, line: lines.of(c.name.name) }
}

const ACTIONS: Record<string, ForeignKeyAction> = {
  'no action': 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
}
const action = (written: string | undefined) => (written ? ACTIONS[written.toLowerCase().replace(/\s+/g, ' ')] : undefined)

/** A `REFERENCES` (column) or `FOREIGN KEY` (table) constraint as a foreign key of `columns`. */
function pgForeignKey(k: PgConstraint, columns: string[], line: number): ForeignKeyStep | undefined {
  if ((k.type !== 'reference' && k.type !== 'foreign key') || !k.foreignTable) return undefined
  const fk: ForeignKeyStep = { columns, table: qualified(k.foreignTable), line }
  if (k.foreignColumns?.length) fk.references = k.foreignColumns.map((c) => c.name)
  const onDelete = action(k.onDelete)
  const onUpdate = action(k.onUpdate)
  if (onDelete) fk.onDelete = onDelete
  if (onUpdate) fk.onUpdate = onUpdate
  return fk
}

/** Foreign keys and the primary key of a column list and its table constraints. */
function pgConstraints(columns: PgColumn[], constraints: PgConstraint[], lines: ColumnLines): { foreignKeys: ForeignKeyStep[]; primaryKey: string[] } {
  const foreignKeys: ForeignKeyStep[] = []
  const primaryKey: string[] = []
  for (const c of columns) {
    for (const k of c.constraints ?? []) {
      const fk = pgForeignKey(k, [c.name.name], lines.of(c.name.name))
      if (fk) foreignKeys.push(fk)
      if (k.type === 'primary key') primaryKey.push(c.name.name)
    }
  }
  for (const k of constraints) {
    const local = (k.localColumns ?? []).map((c) => c.name)
    const fk = local.length ? pgForeignKey(k, local, lines.foreignKey(local[0]!)) : undefined
    if (fk) foreignKeys.push(fk)
    if (k.type === 'primary key') primaryKey.push(...(k.columns ?? []).map((c) => c.name))
  }
  return { foreignKeys, primaryKey }
}

function fromPgAst(statements: PgStatement[], statement: SqlStatement, lines: ColumnLines, file: string): SchemaStep[] {
  const steps: SchemaStep[] = []
  const step = (s: Omit<SchemaStep, 'origin' | 'file' | 'line'>) => steps.push({ ...s, origin: 'sql', file, line: statement.line })
  for (const s of statements) {
    if (s.type === 'create table' && 'columns' in s) {
      if (s.temporary) continue
      const keys = primaryKeyColumns(s.constraints ?? [])
      const defs = s.columns.filter((c) => c.kind === 'column')
      const columns = defs.map((c) => pgColumn(c, lines, keys))
      step({ op: 'create-table', table: qualified(s.name), columns, ifNotExists: s.ifNotExists === true, ...pgConstraints(defs, s.constraints ?? [], lines) })
    } else if (s.type === 'drop table' && 'names' in s) {
      for (const n of s.names) step({ op: 'drop-table', table: qualified(n) })
    } else if (s.type === 'alter table' && 'changes' in s) {
      let table = qualified(s.table)
      for (const change of s.changes) {
        const column = change.column
        switch (change.type) {
          case 'add column':
            if (column) step({ op: 'add-column', table, columns: [pgColumn(column, lines, new Set())], ...pgConstraints([column], [], lines) })
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
            if (a.type === 'set type' && a.dataType)
              step({ op: 'alter-column', table, columns: [{ name: column.name, type: pgType(a.dataType), ...pgDbType(a.dataType), line }] })
            else if (a.type === 'set not null' || a.type === 'drop not null') {
              step({ op: 'alter-column', table, columns: [{ name: column.name, nullable: a.type === 'drop not null', line }] })
            }
            break
          }
          case 'add constraint': {
            const keys = primaryKeyColumns(change.constraint ? [change.constraint] : [])
            for (const name of keys) step({ op: 'alter-column', table, columns: [{ name, nullable: false, line: lines.of(name) }] })
            const { foreignKeys, primaryKey } = pgConstraints([], change.constraint ? [change.constraint] : [], lines)
            if (foreignKeys.length || primaryKey.length) step({ op: 'add-constraint', table, foreignKeys, primaryKey })
            break
          }
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
  definition?: { dataType?: string; suffix?: unknown; length?: number; scale?: number } | NsRef[]
  reference_definition?: { definition?: NsRef[]; table?: NsTable[]; on_action?: Array<{ type?: string; value?: { value?: string } }> }
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

/** The database type with its length and zone, and as written. */
function nsDbType(def: NsDefinition['definition']): { dbType: string; declared: string } | undefined {
  if (!def || Array.isArray(def) || !def.dataType) return undefined
  const suffix = Array.isArray(def.suffix) ? def.suffix.filter((s): s is string => typeof s === 'string') : []
  const zone = suffix.length && ['with', 'without'].includes(suffix[0]!.toLowerCase()) ? ` ${suffix.join(' ')}` : ''
  const args = def.length !== undefined ? `(${def.length}${def.scale !== undefined ? `,${def.scale}` : ''})` : ''
  const written = `${def.dataType}${args}${zone}`
  return { dbType: databaseType(written), declared: written.toUpperCase() }
}

/** A full column definition: NULL unless it says NOT NULL or is (part of) the primary key. */
function nsColumn(d: NsDefinition, lines: ColumnLines, keys: Set<string>): ColumnStep | undefined {
  const name = nsName(d.column)
  if (!name) return undefined
  const notNull = d.nullable?.type === 'not null' || !!d.primary_key || keys.has(name.toLowerCase())
  return { name, type: nsType(d.definition) ?? 'unknown', ...nsDbType(d.definition), nullable: !notNull, line: lines.of(name) }
}

/** The foreign key of a column definition (`REFERENCES t (c)`) or of a `FOREIGN KEY (a) REFERENCES t (c)` constraint. */
function nsForeignKey(d: NsDefinition | undefined, lines: ColumnLines): ForeignKeyStep | undefined {
  const ref = d?.reference_definition
  const target = ref?.table?.[0]
  if (!d || !ref || !target) return undefined
  const columns = d.resource === 'column' ? [nsName(d.column)] : Array.isArray(d.definition) ? d.definition.map((r) => nsName(r)) : []
  const local = columns.filter((c): c is string => !!c)
  if (!local.length) return undefined
  const fk: ForeignKeyStep = { columns: local, table: nsTable(target), line: d.resource === 'column' ? lines.of(local[0]!) : lines.foreignKey(local[0]!) }
  const references = (ref.definition ?? []).map((r) => nsName(r)).filter((c): c is string => !!c)
  if (references.length) fk.references = references
  for (const a of ref.on_action ?? []) {
    const act = action(a.value?.value)
    if (a.type === 'on delete' && act) fk.onDelete = act
    if (a.type === 'on update' && act) fk.onUpdate = act
  }
  return fk
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
      const foreignKeys = defs.flatMap((d) => nsForeignKey(d, lines) ?? [])
      const primaryKey = [
        ...defs.filter((d) => d.resource === 'column' && d.primary_key).flatMap((d) => nsName(d.column) ?? []),
        ...defs.flatMap((d) => nsPrimaryKey(d)),
      ]
      step({ op: 'create-table', table: nsTable(table), columns, ifNotExists: !!s.if_not_exists, foreignKeys, primaryKey })
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
          const fk = nsForeignKey(d, lines)
          if (c) step({ op: 'add-column', table, columns: [c], ...(fk ? { foreignKeys: [fk] } : {}) })
        } else if (d.action === 'add' && d.resource === 'constraint') {
          const primaryKey = nsPrimaryKey(d.create_definitions)
          for (const key of primaryKey) step({ op: 'alter-column', table, columns: [{ name: key, nullable: false, line: lines.of(key) }] })
          const fk = nsForeignKey(d.create_definitions, lines)
          if (fk || primaryKey.length) step({ op: 'add-constraint', table, foreignKeys: fk ? [fk] : [], primaryKey })
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
          if (type !== undefined || nullable !== undefined)
            step({
              op: 'alter-column',
              table,
              columns: [{ name, type, ...(type !== undefined ? nsDbType(d.definition) : {}), nullable, line: lines.of(name) }],
            })
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

  /** Line of `FOREIGN KEY (name` in the statement, else of the column. */
  foreignKey(name: string): number {
    const t = this.statement.tokens
    for (let i = 0; i + 3 < t.length; i++) {
      if (t[i]!.text.toLowerCase() === 'foreign' && t[i + 1]!.text.toLowerCase() === 'key' && t[i + 3]!.text.toLowerCase() === name.toLowerCase())
        return t[i]!.line
    }
    return this.of(name)
  }
}
