/**
 * Drizzle ORM schemas: https://orm.drizzle.team/docs/sql-schema-declaration
 * `pgTable('users', { id: serial('id').primaryKey(), name: text('name').notNull() })`, and the same
 * with `mysqlTable` and `sqliteTable`. A column is nullable unless `.notNull()`, `.primaryKey()` or a
 * serial type says otherwise; its name is the builder's first argument, else the property key; its
 * type is the builder (`varchar`, `doublePrecision` -> `double precision`), `[]` with `.array()`,
 * `timestamptz` with `{ withTimezone: true }`, and a `pgEnum('mood', [...])` builder declared in the
 * file gives the enum's name.
 */
import type { SgNode } from '@ast-grep/napi'
import { stringLiteral } from '../../languages/typescript.js'
import { argsOf } from '../js-syntax.js'
import { lineOf, objectProps, type SchemaColumn } from '../orm-syntax.js'
import { defineExtractor, type SchemaFact } from '../types.js'

const TABLE_FUNCTIONS = new Set(['pgTable', 'mysqlTable', 'sqliteTable'])
const NOT_NULL_METHODS = new Set(['notNull', 'primaryKey'])
const SERIALS = new Set(['serial', 'bigserial', 'smallserial'])
const TYPE_NAMES: Record<string, string> = {
  doublePrecision: 'double precision',
  bigserial: 'bigint',
  smallserial: 'smallint',
  smallint: 'smallint',
}

export const extractor = defineExtractor({
  id: 'drizzle',
  family: 'js',
  docs: 'https://orm.drizzle.team/docs/sql-schema-declaration',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('drizzle-orm'),
  needles: ['pgTable', 'mysqlTable', 'sqliteTable'],
  extract(file, ctx) {
    const schema: SchemaFact[] = []
    const enums = new Map<string, string>()
    for (const call of file.root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', regex: '^(\\w+\\.)?(pg|mysql)Enum$' } } })) {
      const variable = call.parent()?.kind() === 'variable_declarator' ? call.parent()!.field('name')?.text() : undefined
      const name = argsOf(call)[0]
      const literal = name && stringLiteral(name)
      if (variable && literal) enums.set(variable, literal)
    }
    for (const call of file.root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', regex: '^(\\w+\\.)?(pg|mysql|sqlite)Table$' } } })) {
      const fn = call.field('function')!
      const callee = fn.kind() === 'member_expression' ? fn.field('property')?.text() : fn.text()
      if (!callee || !TABLE_FUNCTIONS.has(callee)) continue
      const [nameArg, columnsArg] = argsOf(call)
      const table = nameArg && stringLiteral(nameArg)
      if (table === undefined || columnsArg?.kind() !== 'object') {
        ctx.diagnose({ code: 'UNSUPPORTED_FORM', line: lineOf(call), message: `${callee}() with a table name or columns that are not literal: table not read` })
        continue
      }
      const columns: SchemaColumn[] = []
      for (const pair of columnsArg.namedChildren()) {
        if (pair.kind() !== 'pair') continue
        const key = pair.field('key')
        const value = pair.field('value')
        if (!key || !value) continue
        const column = readColumn(key.kind() === 'string' ? (stringLiteral(key) ?? key.text()) : key.text(), value, enums)
        if (column) columns.push({ ...column, line: lineOf(pair) })
        else ctx.diagnose({ code: 'UNSUPPORTED_FORM', line: lineOf(pair), message: `column ${key.text()} of ${table} is not a column builder call: not read` })
      }
      schema.push({ op: 'create-table', table, columns, line: lineOf(call), origin: 'drizzle' })
    }
    return { routes: [], mounts: [], schema }
  },
})

/** `varchar('email', { length: 256 }).notNull().unique()`: the builder at the bottom of the chain and the methods above it. */
function readColumn(key: string, value: SgNode, enums: Map<string, string>): { name: string; type: string; nullable: boolean } | undefined {
  const methods: string[] = []
  let node = value
  while (node.kind() === 'call_expression') {
    const fn = node.field('function')!
    if (fn.kind() !== 'member_expression') break
    methods.push(fn.field('property')?.text() ?? '')
    node = fn.field('object')!
  }
  if (node.kind() !== 'call_expression') return undefined
  const fn = node.field('function')!
  const builder = fn.kind() === 'member_expression' ? (fn.field('property')?.text() ?? '') : fn.text()
  const first = argsOf(node)[0]
  const name = (first && stringLiteral(first)) ?? key
  let type = enums.get(builder) ?? TYPE_NAMES[builder] ?? builder
  const config = argsOf(node).find((a) => a.kind() === 'object')
  if (builder === 'timestamp' && config && objectProps(config).get('withTimezone')?.kind() === 'true') type = 'timestamptz'
  if (methods.includes('array')) type += '[]'
  const nullable = !SERIALS.has(builder) && !methods.some((m) => NOT_NULL_METHODS.has(m))
  return { name, type, nullable }
}
