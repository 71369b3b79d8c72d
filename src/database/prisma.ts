/**
 * Tables from a Prisma schema (https://www.prisma.io/docs/orm/prisma-schema/data-model/models):
 * each `model` is a table (`@@map` renames it), each scalar or enum field a column (`@map`
 * renames it, `?` makes it nullable, `@db.VarChar(255)` gives its database type); relation fields
 * (typed by another model) are not columns.
 *
 * A small tokenizer and block parser of our own: the maintained npm parser (@mrleebo/prisma-ast)
 * builds on chevrotain, whose import alone costs 0.3-1.5 s, and is ESM-only while this pass is
 * synchronous. The block syntax parity needs (blocks, fields, attributes) is small.
 */
import { databaseType, normalizeColumnType } from '../model/column-type.js'
import type { Diagnostic, ForeignKeyAction } from '../model/inventory.js'
import type { ColumnStep, ForeignKeyStep, SchemaStep } from './schema.js'

interface Token {
  kind: 'name' | 'string' | 'punct'
  text: string
  line: number
}

const isNameChar = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '-'

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let line = 1
  let i = 0
  while (i < source.length) {
    const c = source[i]!
    if (c === '\n') {
      line++
      i++
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2)
      const stop = end < 0 ? source.length : end + 2
      for (; i < stop; i++) if (source[i] === '\n') line++
    } else if (c === '"') {
      let k = i + 1
      while (k < source.length && source[k] !== '"' && source[k] !== '\n') k += source[k] === '\\' ? 2 : 1
      tokens.push({ kind: 'string', text: source.slice(i + 1, k), line })
      i = k + 1
    } else if (isNameChar(c)) {
      let k = i + 1
      while (k < source.length && isNameChar(source[k]!)) k++
      tokens.push({ kind: 'name', text: source.slice(i, k), line })
      i = k
    } else {
      tokens.push({ kind: 'punct', text: c, line })
      i++
    }
  }
  return tokens
}

interface Attribute {
  /** `map`, `id`, `db.VarChar`. */
  name: string
  args: Token[]
}

interface Field {
  name: string
  type: string
  /** `Unsupported("circle")`: the database type. */
  unsupported?: string
  array: boolean
  optional: boolean
  attributes: Attribute[]
  line: number
  /** A datasource assignment's string value (`provider = "postgresql"`). */
  value?: string
}

interface Block {
  keyword: string
  name: string
  line: number
  fields: Field[]
  /** `@@map("users")`, `@@id([a, b])`. */
  attributes: Attribute[]
}

class PrismaSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

/** The blocks of a schema; each line of a block is one field or one `@@` attribute. */
function parseBlocks(source: string): Block[] {
  const tokens = tokenize(source)
  const blocks: Block[] = []
  let i = 0
  while (i < tokens.length) {
    const keyword = tokens[i]!
    const name = tokens[i + 1]
    const open = tokens[i + 2]
    if (keyword.kind !== 'name' || name?.kind !== 'name' || open?.text !== '{') {
      throw new PrismaSyntaxError(`expected a block (model, enum, datasource...) but found "${keyword.text}"`, keyword.line)
    }
    let close = i + 3
    while (close < tokens.length && tokens[close]!.text !== '}') close++
    if (close >= tokens.length) throw new PrismaSyntaxError(`${keyword.text} ${name.text} is not closed with "}"`, keyword.line)
    const block: Block = { keyword: keyword.text, name: name.text, line: keyword.line, fields: [], attributes: [] }
    const body = tokens.slice(i + 3, close)
    for (const lineTokens of groupByLine(body)) readLine(block, lineTokens)
    blocks.push(block)
    i = close + 1
  }
  return blocks
}

function groupByLine(tokens: Token[]): Token[][] {
  const lines: Token[][] = []
  for (const t of tokens) {
    const last = lines[lines.length - 1]
    // An argument list may span lines: a token inside open brackets stays on its line's group.
    if (last && (last[0]!.line === t.line || depthOf(last) > 0)) last.push(t)
    else lines.push([t])
  }
  return lines
}

function depthOf(tokens: Token[]): number {
  let depth = 0
  for (const t of tokens) {
    if (t.text === '(' || t.text === '[') depth++
    else if (t.text === ')' || t.text === ']') depth--
  }
  return depth
}

function readLine(block: Block, tokens: Token[]): void {
  const first = tokens[0]!
  if (first.text === '@' && tokens[1]?.text === '@') {
    block.attributes.push(...readAttributes(tokens, 1))
    return
  }
  if (first.kind !== 'name') throw new PrismaSyntaxError(`unexpected "${first.text}" in ${block.keyword} ${block.name}`, first.line)
  // Enum values and datasource assignments (`provider = "postgresql"`) are not fields.
  const type = tokens[1]
  if (block.keyword === 'enum' || type?.kind !== 'name') {
    const value = type?.text === '=' && tokens[2]?.kind === 'string' ? tokens[2].text : undefined
    block.fields.push({ name: first.text, type: '', array: false, optional: false, attributes: [], line: first.line, ...(value ? { value } : {}) })
    return
  }
  let k = 2
  let unsupported: string | undefined
  if (tokens[k]?.text === '(') {
    unsupported = tokens[k + 1]?.kind === 'string' ? tokens[k + 1]!.text : undefined
    while (k < tokens.length && tokens[k]!.text !== ')') k++
    k++
  }
  const array = tokens[k]?.text === '[' && tokens[k + 1]?.text === ']'
  if (array) k += 2
  const optional = tokens[k]?.text === '?'
  if (optional) k++
  block.fields.push({ name: first.text, type: type.text, unsupported, array, optional, attributes: readAttributes(tokens, k), line: first.line })
}

/** `@id @default(now()) @db.VarChar(200)` from `tokens[from]` on. */
function readAttributes(tokens: Token[], from: number): Attribute[] {
  const attributes: Attribute[] = []
  let k = from
  while (k < tokens.length) {
    if (tokens[k]!.text !== '@' || tokens[k + 1]?.kind !== 'name') {
      k++
      continue
    }
    let name = tokens[k + 1]!.text
    k += 2
    while (tokens[k]?.text === '.' && tokens[k + 1]?.kind === 'name') {
      name += `.${tokens[k + 1]!.text}`
      k += 2
    }
    const args: Token[] = []
    if (tokens[k]?.text === '(') {
      let depth = 0
      for (; k < tokens.length; k++) {
        const t = tokens[k]!
        if (t.text === '(') depth++
        else if (t.text === ')') depth--
        if (depth === 0) break
        if (depth > 1 || t.text !== '(') args.push(t)
      }
      k++
    }
    attributes.push({ name, args })
  }
  return attributes
}

const SCALARS = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes'])

type Provider = 'postgresql' | 'mysql' | 'sqlite'

/**
 * The database type of each Prisma scalar without a native `@db.` attribute, by provider
 * (https://www.prisma.io/docs/orm/reference/prisma-schema-reference#model-field-scalar-types):
 * on PostgreSQL `String` is `text` and `DateTime` `timestamp(3)` (without zone).
 */
const SCALAR_TYPES: Record<Provider, Record<string, string>> = {
  postgresql: {
    String: 'text',
    Boolean: 'boolean',
    Int: 'integer',
    BigInt: 'bigint',
    Float: 'double precision',
    Decimal: 'numeric(65,30)',
    DateTime: 'timestamp(3)',
    Json: 'jsonb',
    Bytes: 'bytea',
  },
  mysql: {
    String: 'varchar(191)',
    Boolean: 'tinyint(1)',
    Int: 'integer',
    BigInt: 'bigint',
    Float: 'double precision',
    Decimal: 'numeric(65,30)',
    DateTime: 'datetime(3)',
    Json: 'json',
    Bytes: 'longblob',
  },
  sqlite: {
    String: 'text',
    Boolean: 'boolean',
    Int: 'integer',
    BigInt: 'bigint',
    Float: 'real',
    Decimal: 'numeric',
    DateTime: 'datetime',
    Json: 'text',
    Bytes: 'blob',
  },
}

/** Prisma's referential actions (https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions). */
const ACTIONS: Record<string, ForeignKeyAction> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
}

/** The name given by `@map("x")` / `@@map("x")`, or `@map(name: "x")`. */
function mapped(attributes: Attribute[]): string | undefined {
  return attributes.find((a) => a.name === 'map')?.args.find((t) => t.kind === 'string')?.text
}

/** `@relation("name", fields: [a], references: [id], onDelete: Cascade)`: its parts. */
function relationOf(field: Field): { name?: string; fields: string[]; references: string[]; onDelete?: string; onUpdate?: string } | undefined {
  const relation = field.attributes.find((a) => a.name === 'relation')
  if (!relation) return undefined
  const out: { name?: string; fields: string[]; references: string[]; onDelete?: string; onUpdate?: string } = { fields: [], references: [] }
  const args = relation.args
  for (let k = 0; k < args.length; k++) {
    const t = args[k]!
    if (t.kind === 'string' && (k === 0 || args[k - 2]?.text === 'name')) out.name = t.text
    if (t.kind !== 'name' || args[k + 1]?.text !== ':') continue
    if (t.text === 'fields' || t.text === 'references') {
      const list: string[] = []
      for (let j = k + 3; j < args.length && args[j]!.text !== ']'; j++) if (args[j]!.kind === 'name') list.push(args[j]!.text)
      out[t.text] = list
    } else if ((t.text === 'onDelete' || t.text === 'onUpdate') && args[k + 2]?.kind === 'name') out[t.text] = args[k + 2]!.text
  }
  return out
}

/** Steps of one `.prisma` file: a create-table per model, and one per implicit many-to-many relation. */
export function readPrismaSchema(file: string, source: string, diagnostics: Diagnostic[]): SchemaStep[] {
  let blocks: Block[]
  try {
    blocks = parseBlocks(source)
  } catch (e) {
    if (!(e instanceof PrismaSyntaxError)) throw e
    diagnostics.push({ level: 'warn', code: 'PRISMA_PARSE_ERROR', file, line: e.line, message: `cannot parse the Prisma schema: ${e.message}` })
    return []
  }
  const written = blocks.find((b) => b.keyword === 'datasource')?.fields.find((f) => f.name === 'provider')?.value
  const provider: Provider = written === 'mysql' || written === 'sqlite' ? written : 'postgresql'
  const enums = new Set(blocks.filter((b) => b.keyword === 'enum').map((b) => b.name))
  const models = new Map(blocks.filter((b) => b.keyword === 'model').map((b) => [b.name, b]))
  const tableOf = (model: Block) => mapped(model.attributes) ?? model.name
  const columnOf = (model: Block | undefined, field: string) => {
    const f = model?.fields.find((x) => x.name === field)
    return f ? (mapped(f.attributes) ?? f.name) : field
  }
  const steps: SchemaStep[] = []
  for (const model of models.values()) {
    // `@@id([a, b])`: a composite primary key.
    const keys = model.attributes
      .filter((a) => a.name === 'id')
      .flatMap((a) => a.args.filter((t) => t.kind === 'name' && t.text !== 'fields').map((t) => t.text))
    const columns: ColumnStep[] = []
    const primaryKey: string[] = keys.map((k) => columnOf(model, k))
    const foreignKeys: ForeignKeyStep[] = []
    for (const field of model.fields) {
      const relation = relationOf(field)
      const target = models.get(field.type)
      if (target && relation?.fields.length) {
        // The scalar fields of a relation are required when any of them is: the default onDelete follows (Restrict, else SetNull).
        const required = relation.fields.some((f) => model.fields.find((x) => x.name === f)?.optional === false)
        foreignKeys.push({
          columns: relation.fields.map((f) => columnOf(model, f)),
          table: tableOf(target),
          references: relation.references.map((r) => columnOf(target, r)),
          onDelete: ACTIONS[relation.onDelete ?? ''] ?? (required ? 'RESTRICT' : 'SET NULL'),
          onUpdate: ACTIONS[relation.onUpdate ?? ''] ?? 'CASCADE',
          line: field.line,
        })
      }
      const type = columnType(field, enums, provider)
      if (type === undefined) continue
      const isId = field.attributes.some((a) => a.name === 'id') || keys.includes(field.name)
      if (field.attributes.some((a) => a.name === 'id')) primaryKey.push(columnOf(model, field.name))
      columns.push({ name: columnOf(model, field.name), ...type, nullable: field.optional && !isId, line: field.line })
    }
    steps.push({ op: 'create-table', table: tableOf(model), columns, primaryKey, foreignKeys, line: model.line, origin: 'prisma', file })
  }
  steps.push(...implicitManyToMany(models, tableOf, enums, provider, file))
  return steps
}

/**
 * Prisma's implicit many-to-many tables: two list fields that name each other's model with no
 * relation scalars (`Article.tags Tag[]`, `Tag.articles Article[]`) make a table `_ArticleToTag`
 * (`_<relation name>` when named) with columns `A` and `B` referencing the two models' ids, the
 * models in alphabetical order, both ON DELETE CASCADE ON UPDATE CASCADE, keyed on (A, B)
 * (https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/many-to-many-relations#conventions-for-relation-tables-in-implicit-m-n-relations).
 */
function implicitManyToMany(models: Map<string, Block>, tableOf: (m: Block) => string, enums: Set<string>, provider: Provider, file: string): SchemaStep[] {
  const sides = new Map<string, Array<{ model: Block; field: Field }>>()
  for (const model of models.values()) {
    for (const field of model.fields) {
      if (!field.array || !models.has(field.type)) continue
      const relation = relationOf(field)
      if (relation?.fields.length) continue
      const [a, b] = [model.name, field.type].sort()
      const key = relation?.name ? `name:${relation.name}` : `${a}\u0000${b}`
      const list = sides.get(key) ?? []
      list.push({ model, field })
      sides.set(key, list)
    }
  }
  const steps: SchemaStep[] = []
  for (const [key, list] of sides) {
    // Each side names the other: one list field in each model (both in the same model for a self-relation).
    if (list.length !== 2 || list[0]!.field.type !== list[1]!.model.name || list[1]!.field.type !== list[0]!.model.name) continue
    const [first, second] = [...list].sort((x, y) => (x.model.name < y.model.name ? -1 : x.model.name > y.model.name ? 1 : 0))
    const name = key.startsWith('name:') ? key.slice(5) : `${first!.model.name}To${second!.model.name}`
    const idOf = (model: Block) => model.fields.find((f) => f.attributes.some((a) => a.name === 'id'))
    const column = (letter: 'A' | 'B', model: Block): ColumnStep => {
      const id = idOf(model)
      const type = id ? columnType(id, enums, provider) : undefined
      return { name: letter, ...(type ?? { type: 'unknown' }), nullable: false, line: first!.field.line }
    }
    const fk = (letter: 'A' | 'B', model: Block): ForeignKeyStep => {
      const id = idOf(model)
      return {
        columns: [letter],
        table: tableOf(model),
        ...(id ? { references: [mapped(id.attributes) ?? id.name] } : {}),
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
        line: first!.field.line,
      }
    }
    steps.push({
      op: 'create-table',
      table: `_${name}`,
      columns: [column('A', first!.model), column('B', second!.model)],
      primaryKey: ['A', 'B'],
      foreignKeys: [fk('A', first!.model), fk('B', second!.model)],
      implicit: `Prisma implicit many-to-many of ${first!.model.name}.${first!.field.name} and ${second!.model.name}.${second!.field.name}`,
      line: first!.field.line,
      origin: 'prisma',
      file,
    })
  }
  return steps
}

/** The column type of a field, or undefined for a relation field. */
function columnType(field: Field, enums: Set<string>, provider: Provider): Pick<ColumnStep, 'type' | 'dbType' | 'declared'> | undefined {
  let dbType: string
  const native = field.attributes.find((a) => a.name.startsWith('db.'))
  const args = native?.args.filter((t) => t.kind === 'name').map((t) => t.text) ?? []
  // `@db.Uuid`, `@db.VarChar(255)`: the database's own type is more precise than the Prisma scalar.
  if (native) dbType = databaseType(`${native.name.slice(3)}${args.length ? `(${args.join(',')})` : ''}`)
  else if (field.type === 'Unsupported') dbType = databaseType(field.unsupported ?? 'unknown')
  else if (SCALARS.has(field.type)) dbType = SCALAR_TYPES[provider][field.type]!
  else if (enums.has(field.type)) dbType = field.type
  else return undefined
  const declared = `${field.type}${native ? ` @${native.name}${args.length ? `(${args.join(', ')})` : ''}` : ''}`
  const array = field.array ? '[]' : ''
  return { type: `${normalizeColumnType(dbType)}${array}`, dbType: `${dbType}${array}`, declared: `${declared}${field.array ? '[]' : ''}` }
}
