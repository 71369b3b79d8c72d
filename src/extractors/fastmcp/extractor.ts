/**
 * FastMCP, in the official Python SDK (`mcp.server.fastmcp`) and the standalone `fastmcp`:
 * https://gofastmcp.com/servers/tools
 * `@mcp.tool()` / `@mcp.tool(name=..., description=...)` / `@mcp.tool` on a function: the name is the
 * function's, the parameters (type hints, defaults: not required) the input schema, the docstring
 * the description; `@mcp.resource("uri")` and `@mcp.prompt()` likewise. A `Context` parameter is
 * injected by the server, not an argument.
 */
import type { SgNode } from '@ast-grep/napi'
import { pyStringLiteral } from '../../languages/python.js'
import type { McpKind } from '../../model/inventory.js'
import { cleanDoc, objectSchema, type PropertySchema } from '../mcp-schema.js'
import { argument, callArgs, lineOf, stringList } from '../py-syntax.js'
import { defineExtractor, type McpFact } from '../types.js'

const KINDS: Record<string, McpKind> = { tool: 'mcp-tool', resource: 'mcp-resource', prompt: 'mcp-prompt' }
const SCALARS: Record<string, string> = {
  str: 'string',
  int: 'integer',
  float: 'number',
  bool: 'boolean',
  bytes: 'string',
  dict: 'object',
  Dict: 'object',
  None: 'null',
}

type Schema = Record<string, unknown>

export const extractor = defineExtractor({
  id: 'fastmcp',
  family: 'python',
  docs: 'https://gofastmcp.com/servers/tools',
  provides: ['mcp'],
  detect: (m) => m.dependencies.has('mcp') || m.dependencies.has('fastmcp'),
  needles: ['.tool', '.resource(', '.prompt'],
  extract(file, ctx) {
    const mcp: McpFact[] = []
    for (const decorated of file.root.findAll({ rule: { kind: 'decorated_definition' } })) {
      const def = decorated.field('definition')
      if (def?.kind() !== 'function_definition') continue
      for (const dec of decorated.children()) {
        if (dec.kind() !== 'decorator') continue
        const expr = dec.namedChildren()[0]
        const call = expr?.kind() === 'call' ? expr : undefined
        const target = call ? call.field('function') : expr
        if (target?.kind() !== 'attribute') continue
        const kind = KINDS[target.field('attribute')?.text() ?? '']
        if (!kind) continue
        const args = call ? callArgs(call) : { positional: [], keywords: new Map<string, SgNode>() }
        const line = lineOf(dec)
        const fnName = def.field('name')!.text()
        let name: string | undefined
        if (kind === 'mcp-resource') {
          const uri = argument(args, 0, 'uri')
          name = uri && pyStringLiteral(uri)
          if (name === undefined) {
            ctx.diagnose({ code: 'UNRESOLVED_MCP_NAME', line, message: `@${target.text()} on ${fnName} without a literal URI: not listed` })
            continue
          }
        } else {
          const given = argument(args, 0, 'name')
          name = given ? pyStringLiteral(given) : fnName
          if (name === undefined) {
            ctx.diagnose({ code: 'UNRESOLVED_MCP_NAME', line, message: `@${target.text()} on ${fnName} with a name that is not a literal: not listed` })
            continue
          }
        }
        const fact: McpFact = { kind, name, line }
        const description = args.keywords.get('description')
        const text = description ? pyStringLiteral(description) : docstring(def)
        if (text) fact.description = text
        if (kind !== 'mcp-resource') fact.inputSchema = parametersSchema(def)
        const annotations = args.keywords.get('annotations')
        const hints = annotations && dictLiteral(annotations)
        if (kind === 'mcp-tool' && hints) fact.annotations = hints
        mcp.push(fact)
      }
    }
    return { mcp }
  },
})

/** The function's docstring, cleaned like `inspect.cleandoc`. */
function docstring(def: SgNode): string | undefined {
  const first = def
    .field('body')
    ?.namedChildren()
    .find((c) => c.kind() !== 'comment')
  const str = first?.kind() === 'expression_statement' ? first.namedChildren()[0] : undefined
  const text = str && pyStringLiteral(str)
  return text ? cleanDoc(text) : undefined
}

/** The arguments a client passes: every parameter but `self`, splats and an injected `Context`. */
function parametersSchema(def: SgNode): Schema {
  const props: PropertySchema[] = []
  for (const p of def.field('parameters')?.namedChildren() ?? []) {
    const k = p.kind()
    const nameNode = k === 'identifier' ? p : k === 'typed_parameter' ? p.namedChildren().find((c) => c.kind() === 'identifier') : p.field('name')
    if (nameNode?.kind() !== 'identifier') continue
    const name = nameNode.text()
    if (name === 'self' || name === 'cls') continue
    const type = p.field('type')
    if (type && /(^|\.)Context(\[|$)/.test(type.text())) continue
    const hasDefault = k === 'default_parameter' || k === 'typed_default_parameter'
    const schema = type ? typeSchema(type) : {}
    if (hasDefault) {
      const value = p.field('value')
      const literal = value && pyLiteral(value)
      if (literal !== undefined && literal !== null) schema.default = literal
    }
    props.push({ name, schema, required: !hasDefault })
  }
  return objectSchema(props)
}

/** A Python type hint as a JSON Schema: scalars, lists, `Optional`, `X | None`, `Literal[...]`, `Annotated[X, Field(description=)]`. */
function typeSchema(node: SgNode): Schema {
  const n = node.kind() === 'type' ? (node.namedChildren()[0] ?? node) : node
  const text = n.text()
  if (SCALARS[text]) return { type: SCALARS[text] }
  if (n.kind() === 'union_type') return nullableOf(n.namedChildren().map(typeSchema))
  if (n.kind() === 'generic_type' || n.kind() === 'subscript') {
    const head = (n.kind() === 'generic_type' ? n.namedChildren()[0]?.text() : n.field('value')?.text()) ?? ''
    const params =
      n.kind() === 'generic_type'
        ? (n.namedChildren()[1]?.namedChildren() ?? [])
        : n.children().filter((c) => c.kind() !== '[' && c.kind() !== ']' && c.kind() !== ',' && c !== n.field('value'))
    const base = head.slice(head.lastIndexOf('.') + 1)
    const inner = params.map((p) => (p.kind() === 'type' ? (p.namedChildren()[0] ?? p) : p))
    if (base === 'list' || base === 'List' || base === 'Sequence' || base === 'set' || base === 'Set')
      return { type: 'array', items: inner[0] ? typeSchema(inner[0]) : {} }
    if (base === 'dict' || base === 'Dict') return { type: 'object' }
    if (base === 'Optional') return nullableOf([inner[0] ? typeSchema(inner[0]) : {}, { type: 'null' }])
    if (base === 'Union') return nullableOf(inner.map(typeSchema))
    if (base === 'Literal') {
      const values = inner.map((v) => pyStringLiteral(v))
      return values.every((v): v is string => v !== undefined) ? { type: 'string', enum: values } : {}
    }
    if (base === 'Annotated' && inner[0]) {
      const schema = typeSchema(inner[0])
      for (const meta of inner.slice(1)) {
        if (meta.kind() !== 'call') continue
        const description = callArgs(meta).keywords.get('description') ?? callArgs(meta).positional.find((a) => a.kind() === 'string')
        const text = description && pyStringLiteral(description)
        if (text !== undefined) schema.description = text
      }
      return schema
    }
  }
  return {}
}

function nullableOf(parts: Schema[]): Schema {
  const nonNull = parts.filter((p) => p.type !== 'null')
  const hasNull = nonNull.length < parts.length
  if (nonNull.length === 1 && typeof nonNull[0]!.type === 'string' && Object.keys(nonNull[0]!).length === 1) {
    return hasNull ? { type: [nonNull[0]!.type, 'null'] } : nonNull[0]!
  }
  return { anyOf: parts }
}

/** A literal default value: strings, numbers, booleans, None, lists of strings. */
function pyLiteral(node: SgNode): unknown {
  const k = node.kind()
  if (k === 'string') return pyStringLiteral(node)
  if (k === 'integer' || k === 'float') return Number(node.text())
  if (k === 'unary_operator' && /^-\s*\d/.test(node.text())) return Number(node.text().replace(/\s/g, ''))
  if (k === 'true') return true
  if (k === 'false') return false
  if (k === 'none') return null
  return stringList(node)
}

/** `{"readOnlyHint": True}` or `ToolAnnotations(readOnlyHint=True)` with literal values. */
function dictLiteral(node: SgNode): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  if (node.kind() === 'call') {
    for (const [key, value] of callArgs(node).keywords) out[key] = pyLiteral(value)
  } else if (node.kind() === 'dictionary') {
    for (const pair of node.namedChildren()) {
      if (pair.kind() !== 'pair') continue
      const key = pair.field('key')
      const value = pair.field('value')
      const name = key ? pyStringLiteral(key) : undefined
      if (name === undefined || !value) return undefined
      out[name] = pyLiteral(value)
    }
  } else return undefined
  return Object.values(out).some((v) => v === undefined) ? undefined : out
}
