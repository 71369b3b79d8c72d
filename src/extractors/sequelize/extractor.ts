/**
 * Sequelize models and migrations: https://sequelize.org/docs/v6/core-concepts/model-basics/ and
 * https://sequelize.org/docs/v6/other-topics/migrations/
 * Models: `sequelize.define('User', { ... }, options)` and `User.init({ ... }, options)`. The table is
 * `tableName`, else the model name (`modelName`, or the class for `init`) when `freezeTableName`,
 * else its plural (`User` -> `Users`, snake_case too with `underscored`). An attribute is a type
 * (`DataTypes.STRING`) or `{ type, allowNull, primaryKey, field }`; nullable unless `allowNull: false`
 * or `primaryKey`. As Sequelize does, a model with no primary key gets `id` (integer), and
 * `createdAt` / `updatedAt` (and `deletedAt` when `paranoid`) unless `timestamps: false`.
 * Migrations (sequelize-cli): `queryInterface.createTable`, `dropTable`, `renameTable`, `addColumn`,
 * `removeColumn`, `renameColumn`, `changeColumn`, read in `up` only.
 */
import type { SgNode } from '@ast-grep/napi'
import { stringLiteral } from '../../languages/typescript.js'
import { argsOf } from '../js-syntax.js'
import { inDownMigration, jsBoolean, lineOf, objectProps, pluralize, snakeCase, type SchemaColumn } from '../orm-syntax.js'
import { defineExtractor, type ExtractContext, type SchemaFact } from '../types.js'

const TYPES: Record<string, string> = {
  STRING: 'varchar',
  CITEXT: 'citext',
  DATE: 'timestamp',
  DATEONLY: 'date',
  DOUBLE: 'double',
  'DOUBLE PRECISION': 'double',
  DECIMAL: 'numeric',
  BLOB: 'bytea',
  ENUM: 'enum',
}
const MIGRATION_METHODS = new Set(['createTable', 'dropTable', 'renameTable', 'addColumn', 'removeColumn', 'renameColumn', 'changeColumn'])

export const extractor = defineExtractor({
  id: 'sequelize',
  family: 'js',
  docs: 'https://sequelize.org/docs/v6/core-concepts/model-basics/',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('sequelize') || m.dependencies.has('sequelize-cli'),
  needles: ['.define(', '.init(', 'createTable', 'dropTable', 'renameTable', 'addColumn', 'removeColumn', 'renameColumn', 'changeColumn'],
  extract(file, ctx) {
    const schema: SchemaFact[] = []
    const calls = file.root.findAll({
      rule: {
        kind: 'call_expression',
        has: {
          field: 'function',
          kind: 'member_expression',
          has: { field: 'property', regex: '^(define|init|createTable|dropTable|renameTable|addColumn|removeColumn|renameColumn|changeColumn)$' },
        },
      },
    })
    for (const call of calls) {
      const fn = call.field('function')!
      const method = fn.field('property')!.text()
      const args = argsOf(call)
      if (method === 'define' || method === 'init') {
        const [nameArg, attributes, optionsArg] = method === 'define' ? args : [undefined, ...args]
        if (attributes?.kind() !== 'object') continue
        const options = objectProps(optionsArg)
        // `init` is a common method name: a model's init takes the `sequelize` instance in its options.
        if (method === 'init' && !options.has('sequelize')) continue
        const modelName = method === 'define' ? nameArg && stringLiteral(nameArg) : (literal(options.get('modelName')) ?? fn.field('object')?.text())
        const fact = modelFact(modelName, attributes, options, call, ctx)
        if (fact) schema.push(fact)
      } else if (MIGRATION_METHODS.has(method) && !/(^|\.)schema$/.test(fn.field('object')!.text()) && !inDownMigration(call)) {
        const fact = migrationStep(method, args, call, ctx)
        if (fact) schema.push(fact)
      }
    }
    return { routes: [], mounts: [], schema }
  },
})

function literal(node: SgNode | undefined): string | undefined {
  return node ? stringLiteral(node) : undefined
}

function modelFact(modelName: string | undefined, attributes: SgNode, options: Map<string, SgNode>, call: SgNode, ctx: ExtractContext): SchemaFact | undefined {
  const underscored = jsBoolean(options.get('underscored')) === true
  const explicit = literal(options.get('tableName'))
  if (!explicit && !modelName) {
    ctx.diagnose({ code: 'UNSUPPORTED_FORM', line: lineOf(call), message: 'a Sequelize model whose name is not a literal: table not read' })
    return undefined
  }
  const table = explicit ?? (jsBoolean(options.get('freezeTableName')) ? modelName! : underscored ? snakeCase(pluralize(modelName!)) : pluralize(modelName!))
  const columns = attributeColumns(attributes, underscored)
  const named = (n: string) => (underscored ? snakeCase(n) : n)
  const line = lineOf(call)
  if (!attributes.namedChildren().some((p) => p.kind() === 'pair' && jsBoolean(objectProps(p.field('value')!).get('primaryKey')))) {
    columns.unshift({ name: 'id', type: 'integer', nullable: false, line })
  }
  if (jsBoolean(options.get('timestamps')) !== false) {
    for (const [option, name] of [
      ['createdAt', 'createdAt'],
      ['updatedAt', 'updatedAt'],
    ] as const) {
      if (jsBoolean(options.get(option)) === false) continue
      columns.push({ name: literal(options.get(option)) ?? named(name), type: 'timestamp', nullable: false, line })
    }
    if (jsBoolean(options.get('paranoid')))
      columns.push({ name: literal(options.get('deletedAt')) ?? named('deletedAt'), type: 'timestamp', nullable: true, line })
  }
  return { op: 'create-table', table, columns, line, origin: 'sequelize' }
}

/** `{ name: DataTypes.STRING, email: { type: DataTypes.STRING, allowNull: false } }`. */
function attributeColumns(attributes: SgNode, underscored: boolean): SchemaColumn[] {
  const out: SchemaColumn[] = []
  for (const pair of attributes.namedChildren()) {
    if (pair.kind() !== 'pair') continue
    const key = pair.field('key')!
    const name = key.kind() === 'string' ? (stringLiteral(key) ?? key.text()) : key.text()
    const column = attributeColumn(name, pair.field('value')!, underscored)
    if (column) out.push({ ...column, line: lineOf(pair) })
  }
  return out
}

function attributeColumn(key: string, value: SgNode, underscored: boolean): Omit<SchemaColumn, 'line'> | undefined {
  if (value.kind() !== 'object') return { name: underscored ? snakeCase(key) : key, type: dataType(value), nullable: true }
  const props = objectProps(value)
  const type = props.get('type')
  if (!type) return undefined
  const primary = jsBoolean(props.get('primaryKey')) === true
  return {
    name: literal(props.get('field')) ?? (underscored ? snakeCase(key) : key),
    type: dataType(type),
    nullable: !primary && jsBoolean(props.get('allowNull')) !== false,
  }
}

/** `DataTypes.STRING(100)`, `Sequelize.INTEGER`, `DataTypes.ARRAY(DataTypes.TEXT)`, `'VARCHAR(10)'`. */
function dataType(node: SgNode): string {
  const s = stringLiteral(node)
  if (s !== undefined) return s
  let callee = node
  const inner = node.kind() === 'call_expression' ? argsOf(node)[0] : undefined
  if (node.kind() === 'call_expression') callee = node.field('function')!
  const name = callee.kind() === 'member_expression' ? (callee.field('property')?.text() ?? '') : callee.text()
  if (name === 'ARRAY' && inner) return `${dataType(inner)}[]`
  return TYPES[name] ?? name.toLowerCase()
}

function migrationStep(method: string, args: SgNode[], call: SgNode, ctx: ExtractContext): SchemaFact | undefined {
  const line = lineOf(call)
  const table = args[0] && tableArg(args[0])
  if (table === undefined) {
    ctx.diagnose({ code: 'UNSUPPORTED_FORM', line, message: `${method}() with a table name that is not a literal: step not applied` })
    return undefined
  }
  const base = { table, line, origin: 'sequelize' }
  const second = args[1] && literal(args[1])
  switch (method) {
    case 'createTable':
      return args[1]?.kind() === 'object' ? { op: 'create-table', ...base, columns: attributeColumns(args[1], false) } : undefined
    case 'dropTable':
      return { op: 'drop-table', ...base }
    case 'renameTable':
      return second ? { op: 'rename-table', ...base, to: second } : undefined
    case 'removeColumn':
      return second ? { op: 'drop-column', ...base, column: second } : undefined
    case 'renameColumn': {
      const to = args[2] && literal(args[2])
      return second && to ? { op: 'rename-column', ...base, column: second, to } : undefined
    }
    default: {
      const column = second && args[2] ? attributeColumn(second, args[2], false) : undefined
      return column ? { op: method === 'addColumn' ? 'add-column' : 'alter-column', ...base, columns: [{ ...column, line }] } : undefined
    }
  }
}

/** `'users'` or `{ tableName: 'users', schema: 'public' }`. */
function tableArg(node: SgNode): string | undefined {
  return literal(node) ?? literal(objectProps(node).get('tableName'))
}
