/**
 * MCP servers on the TypeScript SDK (@modelcontextprotocol/sdk):
 * https://github.com/modelcontextprotocol/typescript-sdk#core-concepts
 * `server.registerTool(name, { description, inputSchema }, cb)`, `server.tool(name, [description],
 * [shape], [annotations], cb)`, `registerResource` / `resource(name, uriOrTemplate, ...)`,
 * `registerPrompt` / `prompt`, and the low-level `setRequestHandler(ListToolsRequestSchema, ...)`
 * answering a literal `{ tools: [...] }` (resources, resource templates and prompts likewise).
 * A zod shape becomes a JSON Schema where it is plain (`z.string().optional().describe()`,
 * `z.enum([...])`, `z.array()`, `z.object()`); anything else keeps only the property's name.
 */
import type { SgNode } from '@ast-grep/napi'
import { stringLiteral } from '../../languages/typescript.js'
import type { McpKind } from '../../model/inventory.js'
import { argsOf } from '../js-syntax.js'
import { objectProps } from '../js-syntax.js'
import { objectSchema, type PropertySchema } from '../mcp-schema.js'
import { defineExtractor, type ExtractContext, type McpFact } from '../types.js'

const HIGH_LEVEL = '^(registerTool|tool|registerResource|resource|registerPrompt|prompt)$'
/** The low-level list requests, the result field holding the list, and the kind of its entries. */
const LIST_REQUESTS: Record<string, [string, McpKind]> = {
  ListToolsRequestSchema: ['tools', 'mcp-tool'],
  ListResourcesRequestSchema: ['resources', 'mcp-resource'],
  ListResourceTemplatesRequestSchema: ['resourceTemplates', 'mcp-resource'],
  ListPromptsRequestSchema: ['prompts', 'mcp-prompt'],
}
const FUNCTION_KINDS = new Set<string>(['arrow_function', 'function_expression', 'function', 'identifier', 'member_expression'])
const MAX_DEPTH = 8

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Schema = Record<string, unknown>

export const extractor = defineExtractor({
  id: 'mcp-ts',
  family: 'js',
  docs: 'https://github.com/modelcontextprotocol/typescript-sdk#core-concepts',
  provides: ['mcp'],
  detect: (m) => m.dependencies.has('@modelcontextprotocol/sdk'),
  needles: ['registerTool', '.tool(', 'registerResource', '.resource(', 'registerPrompt', '.prompt(', 'RequestSchema'],
  extract(file, ctx) {
    const mcp: McpFact[] = []
    const values = new Map<string, SgNode>()
    for (const decl of file.root.findAll({ rule: { kind: 'variable_declarator' } })) {
      const name = decl.field('name')
      const value = decl.field('value')
      if (name?.kind() === 'identifier' && value && !values.has(name.text())) values.set(name.text(), value)
    }
    const read = new Reader(values)

    for (const call of file.root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: HIGH_LEVEL } } },
    })) {
      const method = call.field('function')!.field('property')!.text()
      const args = argsOf(call)
      const last = args[args.length - 1]
      if (args.length < 2 || !last || !FUNCTION_KINDS.has(String(last.kind()))) continue
      const line = ctx.lineOf(call.field('function')!.field('property')!)
      const name = read.string(args[0]!)
      if (name === undefined) {
        if (method.startsWith('register'))
          ctx.diagnose({ code: 'UNRESOLVED_MCP_NAME', line, message: `${method}() with a name that is not a literal: not listed` })
        continue
      }
      const fact = method.endsWith('ool')
        ? toolFact(method, name, args, line, read)
        : method.endsWith('esource')
          ? resourceFact(method, name, args, line, read, ctx)
          : promptFact(method, name, args, line, read)
      if (fact) mcp.push(fact)
    }

    for (const call of file.root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex: '^setRequestHandler$' } } },
    })) {
      const [schemaArg, handler] = argsOf(call)
      const request = schemaArg?.text().split('.').pop() ?? ''
      const list = LIST_REQUESTS[request]
      if (!list || !handler) continue
      mcp.push(...listedFacts(handler, list[0], list[1], read, ctx))
    }
    return { mcp }
  },
})

function toolFact(method: string, name: string, args: SgNode[], line: number, read: Reader): McpFact {
  const fact: McpFact = { kind: 'mcp-tool', name, line }
  if (method === 'registerTool') {
    const config = read.props(args[1]!)
    const description = config.get('description')
    if (description) setIf(fact, 'description', read.string(description))
    const input = config.get('inputSchema')
    fact.inputSchema = input ? read.inputSchema(input) : objectSchema([])
    const output = config.get('outputSchema')
    if (output) fact.outputSchema = read.inputSchema(output)
    const annotations = config.get('annotations')
    if (annotations) setIf(fact, 'annotations', read.jsonObject(annotations))
    return fact
  }
  // `tool(name, [description], [paramsShape], [annotations], cb)`: one object is the shape unless all its values are literals.
  const middle = args.slice(1, -1)
  if (middle[0] && read.string(middle[0]) !== undefined) setIf(fact, 'description', read.string(middle.shift()!))
  const objects = middle.filter((a) => read.resolve(a).kind() === 'object')
  let shape: SgNode | undefined = objects[0]
  let annotations: SgNode | undefined = objects[1]
  if (objects.length === 1 && read.props(objects[0]!).size && read.jsonObject(objects[0]!) && !read.isZodShape(objects[0]!)) {
    shape = undefined
    annotations = objects[0]
  }
  fact.inputSchema = shape ? read.inputSchema(shape) : objectSchema([])
  if (annotations) setIf(fact, 'annotations', read.jsonObject(annotations))
  return fact
}

function resourceFact(method: string, name: string, args: SgNode[], line: number, read: Reader, ctx: ExtractContext): McpFact | undefined {
  const target = read.resolve(args[1]!)
  let uri = read.string(target)
  if (uri === undefined && target.kind() === 'new_expression' && target.field('constructor')?.text().endsWith('ResourceTemplate')) {
    const first = argsOf(target)[0]
    uri = first && read.string(first)
  }
  if (uri === undefined) {
    ctx.diagnose({ code: 'UNRESOLVED_MCP_NAME', line, message: `${method}('${name}') with a URI that is not a literal: not listed` })
    return undefined
  }
  const fact: McpFact = { kind: 'mcp-resource', name: uri, line }
  const metadata = args.slice(2, -1).find((a) => read.resolve(a).kind() === 'object')
  const description = metadata && read.props(metadata).get('description')
  if (description) setIf(fact, 'description', read.string(description))
  return fact
}

function promptFact(method: string, name: string, args: SgNode[], line: number, read: Reader): McpFact {
  const fact: McpFact = { kind: 'mcp-prompt', name, line }
  if (method === 'registerPrompt') {
    const config = read.props(args[1]!)
    const description = config.get('description')
    if (description) setIf(fact, 'description', read.string(description))
    const shape = config.get('argsSchema')
    if (shape) fact.inputSchema = read.inputSchema(shape)
    return fact
  }
  const middle = args.slice(1, -1)
  if (middle[0] && read.string(middle[0]) !== undefined) setIf(fact, 'description', read.string(middle.shift()!))
  if (middle[0]) fact.inputSchema = read.inputSchema(middle[0])
  return fact
}

/** The entries of a literal list a low-level `ListXRequestSchema` handler answers with. */
function listedFacts(handler: SgNode, field: string, kind: McpKind, read: Reader, ctx: ExtractContext): McpFact[] {
  const out: McpFact[] = []
  const holders = handler.findAll({
    rule: {
      any: [
        { kind: 'pair', has: { field: 'key', regex: `^['"]?${field}['"]?$` } },
        { kind: 'shorthand_property_identifier', regex: `^${field}$` },
      ],
    },
  })
  if (!holders.length) return out
  for (const holder of holders) {
    const value = read.resolve(holder.kind() === 'pair' ? holder.field('value')! : holder)
    if (value.kind() !== 'array') {
      ctx.diagnose({
        code: 'UNSUPPORTED_FORM',
        line: ctx.lineOf(holder),
        message: `the ${field} list is computed (${value.text().slice(0, 40)}): its entries are not listed`,
      })
      continue
    }
    for (const element of value.namedChildren()) {
      if (element.kind() === 'comment') continue
      const entry = read.props(element)
      const nameKey = kind === 'mcp-resource' ? (field === 'resources' ? 'uri' : 'uriTemplate') : 'name'
      const nameNode = entry.get(nameKey)
      const name = nameNode && read.string(nameNode)
      if (name === undefined) {
        ctx.diagnose({
          code: 'UNRESOLVED_MCP_NAME',
          line: ctx.lineOf(element),
          message: `an entry of the ${field} list without a literal ${nameKey}: not listed`,
        })
        continue
      }
      const fact: McpFact = { kind, name, line: ctx.lineOf(element) }
      const description = entry.get('description')
      if (description) setIf(fact, 'description', read.string(description))
      if (kind === 'mcp-prompt') {
        const args = entry.get('arguments')
        const list = args && read.json(args)
        if (Array.isArray(list)) fact.inputSchema = promptArguments(list)
      } else if (kind === 'mcp-tool') {
        for (const key of ['inputSchema', 'outputSchema', 'annotations'] as const) {
          const node = entry.get(key)
          const json = node && read.json(node)
          if (json !== undefined && json !== null && typeof json === 'object' && !Array.isArray(json)) fact[key] = json
        }
      }
      out.push(fact)
    }
  }
  return out
}

/** Prompt arguments (`[{ name, description, required }]`) as the JSON Schema of an object. */
function promptArguments(list: Json[]): Schema {
  const props: PropertySchema[] = []
  for (const a of list) {
    if (!a || typeof a !== 'object' || Array.isArray(a) || typeof a.name !== 'string') continue
    props.push({
      name: a.name,
      schema: typeof a.description === 'string' ? { type: 'string', description: a.description } : { type: 'string' },
      required: a.required === true,
    })
  }
  return objectSchema(props)
}

function setIf<K extends 'description' | 'annotations'>(fact: McpFact, key: K, value: McpFact[K] | undefined): void {
  if (value !== undefined) fact[key] = value
}

/** Reads literal values, object properties and zod schemas, following `const` names of the file. */
class Reader {
  constructor(private readonly values: Map<string, SgNode>) {}

  /** Through `as const`, `satisfies`, parentheses and names of the file's constants. */
  resolve(node: SgNode, depth = 0): SgNode {
    const k = node.kind()
    if ((k === 'as_expression' || k === 'satisfies_expression' || k === 'parenthesized_expression' || k === 'non_null_expression') && node.namedChildren()[0]) {
      return this.resolve(node.namedChildren()[0]!, depth + 1)
    }
    if ((k === 'identifier' || k === 'shorthand_property_identifier') && depth < MAX_DEPTH) {
      const value = this.values.get(node.text())
      if (value) return this.resolve(value, depth + 1)
    }
    return node
  }

  string(node: SgNode): string | undefined {
    return stringLiteral(this.resolve(node))
  }

  props(node: SgNode): Map<string, SgNode> {
    return objectProps(this.resolve(node))
  }

  /** A literal JSON value (objects, arrays, strings, numbers, booleans, null), or undefined. */
  json(node: SgNode, depth = 0): Json | undefined {
    if (depth > MAX_DEPTH * 4) return undefined
    const n = this.resolve(node)
    switch (n.kind()) {
      case 'string':
      case 'template_string':
        return stringLiteral(n)
      case 'number':
        return Number(n.text())
      case 'unary_expression':
        return n.text().startsWith('-') && n.namedChildren()[0]?.kind() === 'number' ? -Number(n.namedChildren()[0]!.text()) : undefined
      case 'true':
        return true
      case 'false':
        return false
      case 'null':
        return null
      case 'array': {
        const out: Json[] = []
        for (const item of n.namedChildren()) {
          if (item.kind() === 'comment') continue
          const v = this.json(item, depth + 1)
          if (v === undefined) return undefined
          out.push(v)
        }
        return out
      }
      case 'object': {
        const out: { [key: string]: Json } = {}
        for (const pair of n.namedChildren()) {
          if (pair.kind() === 'comment') continue
          if (pair.kind() !== 'pair' && pair.kind() !== 'shorthand_property_identifier') return undefined
          const key = pair.kind() === 'pair' ? pair.field('key')! : pair
          const name = key.kind() === 'string' ? stringLiteral(key) : key.kind() === 'computed_property_name' ? undefined : key.text()
          const v = this.json(pair.kind() === 'pair' ? pair.field('value')! : pair, depth + 1)
          if (name === undefined || v === undefined) return undefined
          out[name] = v
        }
        return out
      }
      default:
        return undefined
    }
  }

  jsonObject(node: SgNode): Record<string, unknown> | undefined {
    const v = this.json(node)
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined
  }

  /** True when an object's values look like zod schemas (`z.string()`), not literals. */
  isZodShape(node: SgNode): boolean {
    return [...this.props(node).values()].some((v) => this.resolve(v).kind() === 'call_expression')
  }

  /** A zod raw shape (`{ path: z.string() }`) or a zod object (`z.object({...})`) as a JSON Schema. */
  inputSchema(node: SgNode): Schema {
    const n = this.resolve(node)
    if (n.kind() === 'object') return this.shape(n)
    const { schema } = this.zod(n, 0)
    return schema.type === 'object' ? schema : objectSchema([])
  }

  private shape(obj: SgNode): Schema {
    const props: PropertySchema[] = []
    for (const [name, value] of this.props(obj)) {
      const { schema, optional } = this.zod(value, 0)
      props.push({ name, schema, required: !optional })
    }
    return objectSchema(props)
  }

  /** A zod expression: the base call (`z.string()`) and the methods chained on it, applied inside out. */
  private zod(node: SgNode, depth: number): { schema: Schema; optional: boolean } {
    const unknown = { schema: {}, optional: false }
    if (depth > MAX_DEPTH) return unknown
    const methods: Array<{ name: string; args: SgNode[] }> = []
    let cur = this.resolve(node)
    for (;;) {
      if (cur.kind() !== 'call_expression') return unknown
      const fn = cur.field('function')!
      if (fn.kind() !== 'member_expression') return unknown
      const object = this.resolve(fn.field('object')!)
      const name = fn.field('property')!.text()
      if (object.kind() === 'call_expression') {
        methods.push({ name, args: argsOf(cur) })
        cur = object
        continue
      }
      if (object.kind() !== 'identifier' && object.kind() !== 'member_expression') return unknown
      let result = this.zodBase(name, argsOf(cur), depth)
      for (const m of methods.reverse()) result = this.zodMethod(result, m.name, m.args, depth)
      return result
    }
  }

  private zodBase(name: string, args: SgNode[], depth: number): { schema: Schema; optional: boolean } {
    const inner = (i: number) => (args[i] ? this.zod(args[i]!, depth + 1) : { schema: {}, optional: false })
    const plain = (schema: Schema) => ({ schema, optional: false })
    switch (name) {
      case 'string':
        return plain({ type: 'string' })
      case 'email':
      case 'uuid':
        return plain({ type: 'string', format: name })
      case 'url':
        return plain({ type: 'string', format: 'uri' })
      case 'number':
        return plain({ type: 'number' })
      case 'int':
      case 'int32':
      case 'bigint':
        return plain({ type: 'integer' })
      case 'boolean':
        return plain({ type: 'boolean' })
      case 'null':
        return plain({ type: 'null' })
      case 'literal': {
        const v = args[0] && this.json(args[0])
        return plain(v === undefined ? {} : { const: v })
      }
      case 'enum': {
        const v = args[0] && this.json(args[0])
        return plain(Array.isArray(v) && v.every((x) => typeof x === 'string') ? { type: 'string', enum: v } : { type: 'string' })
      }
      case 'array':
        return plain({ type: 'array', items: inner(0).schema })
      case 'object':
      case 'strictObject':
      case 'looseObject':
        return plain(args[0] && this.resolve(args[0]).kind() === 'object' ? this.shape(this.resolve(args[0])) : { type: 'object' })
      case 'record':
        return plain({ type: 'object', additionalProperties: inner(args.length - 1).schema })
      case 'union': {
        const list = args[0] && this.resolve(args[0])
        return plain(
          list?.kind() === 'array'
            ? {
                anyOf: list
                  .namedChildren()
                  .filter((c) => c.kind() !== 'comment')
                  .map((c) => this.zod(c, depth + 1).schema),
              }
            : {},
        )
      }
      case 'optional':
      case 'nullish':
        return { schema: inner(0).schema, optional: true }
      case 'nullable':
        return plain(nullable(inner(0).schema))
      default:
        return plain({})
    }
  }

  private zodMethod(base: { schema: Schema; optional: boolean }, name: string, args: SgNode[], depth: number): { schema: Schema; optional: boolean } {
    const schema = { ...base.schema }
    switch (name) {
      case 'optional':
        return { schema, optional: true }
      case 'nullish':
        return { schema: nullable(schema), optional: true }
      case 'nullable':
        return { schema: nullable(schema), optional: base.optional }
      case 'default': {
        const v = args[0] && this.json(args[0])
        if (v !== undefined) schema.default = v
        return { schema, optional: true }
      }
      case 'describe': {
        const s = args[0] && this.string(args[0])
        if (s !== undefined) schema.description = s
        return { schema, optional: base.optional }
      }
      case 'int':
        return { schema: { ...schema, type: 'integer' }, optional: base.optional }
      case 'email':
      case 'uuid':
        return { schema: { ...schema, format: name }, optional: base.optional }
      case 'url':
        return { schema: { ...schema, format: 'uri' }, optional: base.optional }
      case 'array':
        return { schema: { type: 'array', items: schema }, optional: base.optional }
      case 'or':
        return { schema: { anyOf: [schema, args[0] ? this.zod(args[0], depth + 1).schema : {}] }, optional: base.optional }
      default:
        // Refinements, transforms, bounds: the type stays.
        return { schema, optional: base.optional }
    }
  }
}

function nullable(schema: Schema): Schema {
  return typeof schema.type === 'string' ? { ...schema, type: [schema.type, 'null'] } : { anyOf: [schema, { type: 'null' }] }
}
