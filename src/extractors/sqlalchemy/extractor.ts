/**
 * SQLAlchemy declarative models and tables: https://docs.sqlalchemy.org/en/20/orm/declarative_tables.html
 * A class with `__tablename__ = "users"`; its `Column(...)` / `mapped_column(...)` attributes (also
 * `db.Column` of Flask-SQLAlchemy) and bare `Mapped[...]` annotations, and those of same-file base
 * classes and mixins; and
 * `Table("users", metadata, Column("id", Integer), ...)`. A column is named by its first string
 * argument, else the attribute; typed by its type argument (`String(50)` -> varchar), else by the
 * `Mapped[...]` annotation (str -> varchar, int -> integer, datetime -> timestamp...). Nullable:
 * `nullable=` when given; else not null for a primary key; else, for `mapped_column` with a
 * `Mapped[...]` annotation, exactly when it is `Optional[...]` or `... | None`; else nullable, as
 * SQLAlchemy does.
 */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../../languages/python.js'
import { lineOf, type SchemaColumn } from '../orm-syntax.js'
import { baseNames, calleeName, callArgs, dottedName } from '../py-syntax.js'
import { defineExtractor, type ExtractContext, type SchemaFact } from '../types.js'

const SA_TYPES: Record<string, string> = {
  Integer: 'integer',
  BigInteger: 'bigint',
  SmallInteger: 'smallint',
  String: 'varchar',
  Unicode: 'varchar',
  VARCHAR: 'varchar',
  Text: 'text',
  UnicodeText: 'text',
  Boolean: 'boolean',
  DateTime: 'timestamp',
  TIMESTAMP: 'timestamp',
  Date: 'date',
  Time: 'time',
  Interval: 'interval',
  Float: 'double',
  Double: 'double',
  REAL: 'real',
  Numeric: 'numeric',
  DECIMAL: 'numeric',
  LargeBinary: 'bytea',
  JSON: 'json',
  JSONB: 'jsonb',
  Uuid: 'uuid',
  UUID: 'uuid',
  Enum: 'enum',
}
const PY_TYPES: Record<string, string> = {
  int: 'integer',
  str: 'varchar',
  bool: 'boolean',
  float: 'double',
  Decimal: 'numeric',
  datetime: 'timestamp',
  date: 'date',
  time: 'time',
  timedelta: 'interval',
  bytes: 'bytea',
  dict: 'json',
  list: 'json',
  UUID: 'uuid',
}
const COLUMN_CALLS = new Set(['Column', 'mapped_column'])
/** Positional arguments of Column() that are not its type. */
const NOT_TYPES = new Set(['ForeignKey', 'Sequence', 'Identity', 'Computed', 'CheckConstraint', 'FetchedValue'])

export const extractor = defineExtractor({
  id: 'sqlalchemy',
  family: 'python',
  docs: 'https://docs.sqlalchemy.org/en/20/orm/declarative_tables.html',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('sqlalchemy') || m.dependencies.has('flask-sqlalchemy') || m.dependencies.has('sqlmodel'),
  needles: ['__tablename__', 'Table('],
  extract(file, ctx) {
    const classes = new Map<string, SgNode>()
    for (const cls of file.root.findAll({ rule: { kind: 'class_definition' } })) {
      const name = cls.field('name')?.text()
      if (name) classes.set(name, cls)
    }
    const schema: Array<{ at: number; fact: SchemaFact }> = []
    for (const cls of classes.values()) {
      const tablename = bodyAssignments(cls).find((a) => a.name === '__tablename__')
      if (!tablename) continue
      const table = tablename.value && pyStringLiteral(tablename.value)
      if (table === undefined) {
        ctx.diagnose({
          code: 'UNSUPPORTED_FORM',
          line: lineOf(tablename.node),
          message: `__tablename__ of ${cls.field('name')?.text()} is not a literal: table not read`,
        })
        continue
      }
      schema.push({
        at: cls.range().start.index,
        fact: { op: 'create-table', table, columns: classColumns(cls, classes, new Set()), line: lineOf(cls), origin: 'sqlalchemy' },
      })
    }
    for (const call of file.root.findAll({ rule: { kind: 'call', has: { field: 'function', regex: '^(\\w+\\.)?Table$' } } })) {
      const fact = imperativeTable(call, ctx)
      if (fact) schema.push({ at: call.range().start.index, fact })
    }
    schema.sort((a, b) => a.at - b.at)
    return { routes: [], mounts: [], schema: schema.map((s) => s.fact) }
  },
})

interface Assignment {
  name: string
  annotation?: SgNode
  /** Absent for a bare annotation (`name: Mapped[str]`). */
  value?: SgNode
  node: SgNode
}

function bodyAssignments(cls: SgNode): Assignment[] {
  const out: Assignment[] = []
  for (const stmt of cls.field('body')?.children() ?? []) {
    const assign = stmt.kind() === 'expression_statement' ? stmt.namedChildren()[0] : undefined
    if (assign?.kind() !== 'assignment') continue
    const left = assign.field('left')
    const value = assign.field('right')
    const annotation = assign.field('type')
    if (left?.kind() !== 'identifier' || (!value && !annotation)) continue
    out.push({ name: left.text(), node: assign, ...(value ? { value } : {}), ...(annotation ? { annotation } : {}) })
  }
  return out
}

/** Columns of a class, those of its same-file bases (mixins, abstract bases) first. */
function classColumns(cls: SgNode, classes: Map<string, SgNode>, seen: Set<SgNode>): SchemaColumn[] {
  seen.add(cls)
  const out: SchemaColumn[] = []
  for (const base of baseNames(cls)) {
    const b = classes.get(base)
    if (b && !seen.has(b)) out.push(...classColumns(b, classes, seen))
  }
  for (const a of bodyAssignments(cls)) {
    // SQLAlchemy 2.0 maps a bare `name: Mapped[str]` as a column too.
    const bare = !a.value && a.annotation && mappedType(a.annotation.text())
    if (bare) out.push({ name: a.name, type: PY_TYPES[bare.type] ?? bare.type, nullable: bare.optional, line: lineOf(a.node) })
    if (a.value?.kind() !== 'call' || !COLUMN_CALLS.has(calleeName(a.value) ?? '')) continue
    const { named: _, ...column } = readColumn(a.value, a.name, a.annotation)
    out.push({ ...column, line: lineOf(a.node) })
  }
  return out
}

function readColumn(call: SgNode, attribute: string | undefined, annotation: SgNode | undefined): Omit<SchemaColumn, 'line'> & { named: boolean } {
  const args = callArgs(call)
  let name = attribute
  let type: string | undefined
  for (const arg of args.positional) {
    const s = pyStringLiteral(arg)
    if (s !== undefined && type === undefined && name === attribute) name = s
    else if (s === undefined && type === undefined) {
      const callee = arg.kind() === 'call' ? calleeName(arg) : dottedName(arg)?.split('.').pop()
      if (callee && !NOT_TYPES.has(callee)) type = saType(arg, callee)
    }
  }
  const mapped = annotation ? mappedType(annotation.text()) : undefined
  const explicit = args.keywords.get('nullable')?.kind()
  const primary = args.keywords.get('primary_key')?.kind() === 'true'
  const nullable = explicit === 'true' ? true : explicit === 'false' ? false : primary ? false : mapped ? mapped.optional : true
  return { name: name ?? '', type: type ?? (mapped ? (PY_TYPES[mapped.type] ?? mapped.type) : 'integer'), nullable, named: name !== attribute }
}

/** `String(50)` -> varchar, `DateTime(timezone=True)` -> timestamptz, `ARRAY(Integer)` -> integer[]. */
function saType(node: SgNode, callee: string): string {
  if (callee === 'ARRAY' && node.kind() === 'call') {
    const inner = callArgs(node).positional[0]
    const innerName = inner && (inner.kind() === 'call' ? calleeName(inner) : dottedName(inner)?.split('.').pop())
    return `${innerName && inner ? saType(inner, innerName) : 'unknown'}[]`
  }
  if (callee === 'DateTime' && node.kind() === 'call' && callArgs(node).keywords.get('timezone')?.kind() === 'true') return 'timestamptz'
  return SA_TYPES[callee] ?? callee.toLowerCase()
}

/** `Mapped[Optional[str]]`, `Mapped[str | None]`, `Mapped[datetime.datetime]`: the Python type and whether it is optional. */
function mappedType(annotation: string): { type: string; optional: boolean } | undefined {
  const t = annotation.replace(/\s/g, '')
  const m = /^(?:\w+\.)?Mapped\[(.*)\]$/.exec(t)
  if (!m) return undefined
  let inner = m[1]!
  let optional = false
  const opt = /^(?:\w+\.)?Optional\[(.*)\]$/.exec(inner)
  if (opt) {
    inner = opt[1]!
    optional = true
  }
  const parts = inner.replace(/^(?:\w+\.)?Union\[(.*)\]$/, '$1').split(/[|,]/)
  if (parts.includes('None')) optional = true
  const kept = parts.filter((p) => p !== 'None')
  const last = (kept[0] ?? inner).split('.').pop()!
  return { type: last, optional }
}

/** `Table("users", metadata, Column("id", Integer, primary_key=True), ...)`. */
function imperativeTable(call: SgNode, ctx: ExtractContext): SchemaFact | undefined {
  const args = callArgs(call).positional
  const table = args[0] && pyStringLiteral(args[0])
  const columns = args.filter((a) => a.kind() === 'call' && calleeName(a) === 'Column')
  if (!columns.length) return undefined
  if (table === undefined) {
    ctx.diagnose({ code: 'UNSUPPORTED_FORM', line: lineOf(call), message: 'Table() with a name that is not a literal: table not read' })
    return undefined
  }
  const out: SchemaColumn[] = []
  for (const c of columns) {
    const { named, ...column } = readColumn(c, undefined, undefined)
    if (named) out.push({ ...column, line: lineOf(c) })
  }
  return { op: 'create-table', table, columns: out, line: lineOf(call), origin: 'sqlalchemy' }
}
