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
import type { Diagnostic } from '../model/inventory.js'
import { normalizeColumnType } from '../model/column-type.js'
import type { ColumnStep, SchemaStep } from './schema.js'

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
    block.fields.push({ name: first.text, type: '', array: false, optional: false, attributes: [], line: first.line })
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

/** The name given by `@map("x")` / `@@map("x")`, or `@map(name: "x")`. */
function mapped(attributes: Attribute[]): string | undefined {
  return attributes.find((a) => a.name === 'map')?.args.find((t) => t.kind === 'string')?.text
}

/** Steps of one `.prisma` file: a create-table per model. */
export function readPrismaSchema(file: string, source: string, diagnostics: Diagnostic[]): SchemaStep[] {
  let blocks: Block[]
  try {
    blocks = parseBlocks(source)
  } catch (e) {
    if (!(e instanceof PrismaSyntaxError)) throw e
    diagnostics.push({ level: 'warn', code: 'PRISMA_PARSE_ERROR', file, line: e.line, message: `cannot parse the Prisma schema: ${e.message}` })
    return []
  }
  const enums = new Set(blocks.filter((b) => b.keyword === 'enum').map((b) => b.name))
  const steps: SchemaStep[] = []
  for (const model of blocks) {
    if (model.keyword !== 'model') continue
    // `@@id([a, b])`: a composite primary key.
    const keys = new Set(
      model.attributes.filter((a) => a.name === 'id').flatMap((a) => a.args.filter((t) => t.kind === 'name' && t.text !== 'fields').map((t) => t.text)),
    )
    const columns: ColumnStep[] = []
    for (const field of model.fields) {
      const type = columnType(field, enums)
      if (type === undefined) continue
      const isId = field.attributes.some((a) => a.name === 'id') || keys.has(field.name)
      columns.push({ name: mapped(field.attributes) ?? field.name, type, nullable: field.optional && !isId, line: field.line })
    }
    steps.push({ op: 'create-table', table: mapped(model.attributes) ?? model.name, columns, line: model.line, origin: 'prisma', file })
  }
  return steps
}

/** The column type of a field, or undefined for a relation field. */
function columnType(field: Field, enums: Set<string>): string | undefined {
  let base: string
  if (field.type === 'Unsupported') base = field.unsupported ?? 'unknown'
  else if (SCALARS.has(field.type) || enums.has(field.type)) base = field.type
  else return undefined
  // `@db.Uuid`, `@db.VarChar(255)`: the database's own type is more precise than the Prisma scalar.
  const native = field.attributes.find((a) => a.name.startsWith('db.'))
  // Prisma's Float is a double precision column (https://www.prisma.io/docs/orm/reference/prisma-schema-reference#float).
  const type = normalizeColumnType(native ? native.name.slice(3) : base === 'Float' ? 'double precision' : base)
  return field.array ? `${type}[]` : type
}
