/**
 * Knex migrations: https://knexjs.org/guide/schema-builder.html
 * `knex.schema.createTable('users', (t) => { t.increments('id'); t.string('email').notNullable() })`,
 * `createTableIfNotExists`, `alterTable` / `table` (new columns, `.alter()` to change one,
 * `dropColumn(s)`, `renameColumn`), `dropTable(IfExists)`, `renameTable`, chained on one schema
 * builder; only `up` is read (`down` undoes it). As in knex, a column is nullable unless
 * `.notNullable()` or `.primary()`; `increments` / `bigIncrements` are not-null keys (named `id`
 * when unnamed); `timestamps()` adds `created_at` and `updated_at` (camelCase with its third
 * argument, not null with its second).
 */
import type { SgNode } from '@ast-grep/napi'
import { stringLiteral } from '../../languages/typescript.js'
import { argsOf } from '../js-syntax.js'
import { inDownMigration, lineOf, type SchemaColumn } from '../orm-syntax.js'
import { defineExtractor, type ExtractContext, type SchemaFact } from '../types.js'

const TABLE_METHODS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table', 'dropTable', 'dropTableIfExists', 'renameTable'])
const CHAIN_METHODS = new Set([...TABLE_METHODS, 'withSchema', 'hasTable', 'raw'])
const TYPES: Record<string, string> = {
  increments: 'integer',
  bigIncrements: 'bigint',
  string: 'varchar',
  text: 'text',
  integer: 'integer',
  bigInteger: 'bigint',
  tinyint: 'tinyint',
  smallint: 'smallint',
  mediumint: 'mediumint',
  float: 'real',
  double: 'double',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp',
  time: 'time',
  timestamp: 'timestamp',
  binary: 'bytea',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  enum: 'enum',
  enu: 'enum',
}

export const extractor = defineExtractor({
  id: 'knex',
  family: 'js',
  docs: 'https://knexjs.org/guide/schema-builder.html',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('knex'),
  needles: ['createTable', 'alterTable', 'dropTable', 'renameTable', 'schema.table'],
  extract(file, ctx) {
    const steps: Array<{ at: number; fact: SchemaFact }> = []
    for (const call of file.root.findAll({
      rule: {
        kind: 'call_expression',
        has: {
          field: 'function',
          kind: 'member_expression',
          has: { field: 'property', regex: '^(createTable|createTableIfNotExists|alterTable|table|dropTable|dropTableIfExists|renameTable)$' },
        },
      },
    })) {
      const fn = call.field('function')!
      const property = fn.field('property')!
      if (!onSchemaBuilder(fn.field('object')!) || inDownMigration(call)) continue
      const at = property.range().start.index
      for (const fact of tableSteps(property.text(), argsOf(call), lineOf(property), ctx)) steps.push({ at, fact })
    }
    // Chained calls nest the last step outermost: order by position in the text.
    steps.sort((a, b) => a.at - b.at)
    return { routes: [], mounts: [], schema: steps.map((s) => s.fact) }
  },
})

/** `knex.schema`, `this.schema`, `schema`, or a table step chained on one. */
function onSchemaBuilder(object: SgNode): boolean {
  if (object.kind() === 'call_expression') {
    const fn = object.field('function')!
    return fn.kind() === 'member_expression' && CHAIN_METHODS.has(fn.field('property')?.text() ?? '') && onSchemaBuilder(fn.field('object')!)
  }
  if (object.kind() === 'member_expression') return object.field('property')?.text() === 'schema'
  return object.kind() === 'identifier' && object.text() === 'schema'
}

/** The steps of one schema-builder call: a table created, dropped or renamed, or the changes of an alteration in order. */
function tableSteps(method: string, args: SgNode[], line: number, ctx: ExtractContext): SchemaFact[] {
  const table = args[0] && stringLiteral(args[0])
  if (table === undefined) {
    ctx.diagnose({ code: 'UNSUPPORTED_FORM', line, message: `${method}() with a table name that is not a literal: step not applied` })
    return []
  }
  const base = { table, line, origin: 'knex' }
  if (method === 'dropTable' || method === 'dropTableIfExists') return [{ op: 'drop-table', ...base }]
  if (method === 'renameTable') {
    const to = args[1] && stringLiteral(args[1])
    return to ? [{ op: 'rename-table', ...base, to }] : []
  }
  const callback = args[1]
  const param = callback && callbackParam(callback)
  if (!param) {
    ctx.diagnose({ code: 'UNSUPPORTED_FORM', line, message: `${method}('${table}') without a table-builder callback: columns not read` })
    return method.startsWith('create') ? [{ op: 'create-table', ...base, columns: [] }] : []
  }
  if (method.startsWith('create')) return [{ op: 'create-table', ...base, columns: builderCalls(callback, param).flatMap(columnsOf) }]
  return builderCalls(callback, param).flatMap((c) => alterSteps(c, table))
}

/** The name of a table-builder callback's first parameter. */
function callbackParam(callback: SgNode): string | undefined {
  if (callback.kind() !== 'arrow_function' && callback.kind() !== 'function_expression' && callback.kind() !== 'function') return undefined
  const single = callback.field('parameter')
  if (single) return single.text()
  const first = callback.field('parameters')?.namedChildren()[0]
  const pattern = first?.field('pattern') ?? first
  return pattern?.kind() === 'identifier' ? pattern.text() : undefined
}

interface BuilderCall {
  method: string
  args: SgNode[]
  /** Methods chained after it: `notNullable`, `primary`, `alter`... */
  chain: string[]
  line: number
}

/** Every `t.method(...)` call in the callback, with the methods chained on it. */
function builderCalls(callback: SgNode, param: string): BuilderCall[] {
  const out: BuilderCall[] = []
  for (const call of callback.findAll({
    rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'object', kind: 'identifier', regex: `^${param}$` } } },
  })) {
    const method = call.field('function')!.field('property')?.text() ?? ''
    const chain: string[] = []
    let node = call
    for (let parent = node.parent(); parent?.kind() === 'member_expression' && parent.parent()?.kind() === 'call_expression'; parent = node.parent()) {
      chain.push(parent.field('property')?.text() ?? '')
      node = parent.parent()!
    }
    out.push({ method, args: argsOf(call), chain, line: lineOf(call) })
  }
  return out
}

function columnsOf(c: BuilderCall): SchemaColumn[] {
  if (c.method === 'timestamps') {
    const notNull = c.args[1]?.kind() === 'true'
    const camel = c.args[2]?.kind() === 'true'
    return (camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']).map((name) => ({ name, type: 'timestamp', nullable: !notNull, line: c.line }))
  }
  const type = c.method === 'specificType' ? c.args[1] && stringLiteral(c.args[1]) : TYPES[c.method]
  if (!type) return []
  const increments = c.method === 'increments' || c.method === 'bigIncrements'
  const name = (c.args[0] && stringLiteral(c.args[0])) ?? (increments ? 'id' : undefined)
  if (!name) return []
  const nullable = !increments && !c.chain.includes('notNullable') && !c.chain.includes('primary')
  return [{ name, type, nullable, line: c.line }]
}

function alterSteps(c: BuilderCall, table: string): SchemaFact[] {
  const base = { table, line: c.line, origin: 'knex' }
  const names = c.args.map((a) => stringLiteral(a)).filter((s): s is string => s !== undefined)
  if (c.method === 'dropColumn' || c.method === 'dropColumns') return names.map((column) => ({ op: 'drop-column', ...base, column }))
  if (c.method === 'dropTimestamps') return ['created_at', 'updated_at'].map((column) => ({ op: 'drop-column', ...base, column }))
  if (c.method === 'renameColumn') return names.length === 2 ? [{ op: 'rename-column', ...base, column: names[0]!, to: names[1]! }] : []
  const columns = columnsOf(c)
  return columns.map((col) => ({ op: c.chain.includes('alter') ? 'alter-column' : 'add-column', ...base, columns: [col] }))
}
