/**
 * MCP servers in Go: mark3labs/mcp-go (https://mcp-go.dev/servers/tools) and the official go-sdk
 * (https://github.com/modelcontextprotocol/go-sdk). mcp-go: `mcp.NewTool("name",
 * mcp.WithDescription("..."), mcp.WithString("path", mcp.Required(), mcp.Description("...")))`,
 * `mcp.NewResource`, `mcp.NewResourceTemplate`, `mcp.NewPrompt`. go-sdk: `&mcp.Tool{Name: "...",
 * Description: "..."}` (arguments from the handler's input struct of the same file, `json` tags),
 * `&mcp.Prompt{...}`, `&mcp.Resource{URI: ...}`, `&mcp.ResourceTemplate{URITemplate: ...}`.
 */
import type { SgNode } from '@ast-grep/napi'
import { goStringLiteral } from '../../languages/go.js'
import type { McpKind } from '../../model/inventory.js'
import { argsOf } from '../go/nodes.js'
import { objectSchema, type PropertySchema } from '../mcp-schema.js'
import { defineExtractor, type ExtractContext, type McpFact } from '../types.js'

const MCP_GO = 'github.com/mark3labs/mcp-go'
const GO_SDK = 'github.com/modelcontextprotocol/go-sdk'
const PROPERTY_TYPES: Record<string, string> = {
  WithString: 'string',
  WithNumber: 'number',
  WithInteger: 'integer',
  WithBoolean: 'boolean',
  WithArray: 'array',
  WithObject: 'object',
  WithAny: '',
}
const HINTS: Record<string, string> = {
  WithTitleAnnotation: 'title',
  WithReadOnlyHintAnnotation: 'readOnlyHint',
  WithDestructiveHintAnnotation: 'destructiveHint',
  WithIdempotentHintAnnotation: 'idempotentHint',
  WithOpenWorldHintAnnotation: 'openWorldHint',
}
const LITERAL_KINDS: Record<string, [McpKind, string]> = {
  Tool: ['mcp-tool', 'Name'],
  Prompt: ['mcp-prompt', 'Name'],
  Resource: ['mcp-resource', 'URI'],
  ResourceTemplate: ['mcp-resource', 'URITemplate'],
}

type Schema = Record<string, unknown>

export const extractor = defineExtractor({
  id: 'mcp-go',
  family: 'go',
  docs: 'https://mcp-go.dev/servers/tools',
  provides: ['mcp'],
  detect: (m) => [...m.dependencies].some((d) => d === MCP_GO || d.startsWith(`${MCP_GO}/`) || d === GO_SDK || d.startsWith(`${GO_SDK}/`)),
  needles: ['mcp-go/mcp', 'go-sdk/mcp'],
  extract(file, ctx) {
    const mcp: McpFact[] = []
    const mcpGo = new Set<string>()
    const goSdk = new Set<string>()
    for (const [local, imp] of Object.entries(file.module.imports)) {
      if (imp.module === `${MCP_GO}/mcp`) mcpGo.add(local)
      if (imp.module === `${GO_SDK}/mcp`) goSdk.add(local)
    }
    const qualified = (call: SgNode, packages: Set<string>): string | undefined => {
      const fn = call.field('function')
      if (fn?.kind() !== 'selector_expression' || !packages.has(fn.field('operand')?.text() ?? '')) return undefined
      return fn.field('field')?.text()
    }
    if (mcpGo.size) {
      for (const call of file.root.findAll({
        rule: {
          kind: 'call_expression',
          has: { field: 'function', kind: 'selector_expression', regex: '\\.New(Tool|ToolWithRawSchema|Resource|ResourceTemplate|Prompt)$' },
        },
      })) {
        const fact = mcpGoFact(call, qualified(call, mcpGo), (c) => qualified(c, mcpGo), ctx)
        if (fact) mcp.push(fact)
      }
    }
    if (goSdk.size) {
      const structs = new Map<string, SgNode>()
      for (const spec of file.root.findAll({ rule: { kind: 'type_spec', has: { field: 'type', kind: 'struct_type' } } }))
        structs.set(spec.field('name')!.text(), spec.field('type')!)
      const functions = new Map<string, SgNode>()
      for (const fn of file.root.findAll({ rule: { kind: 'function_declaration' } })) functions.set(fn.field('name')!.text(), fn)
      for (const lit of file.root.findAll({ rule: { kind: 'composite_literal', has: { field: 'type', kind: 'qualified_type' } } })) {
        const type = lit.field('type')!
        if (!goSdk.has(type.field('package')?.text() ?? '')) continue
        const spec = LITERAL_KINDS[type.field('name')?.text() ?? '']
        if (!spec) continue
        const fields = keyedFields(lit)
        const nameNode = fields.get(spec[1])
        const name = nameNode && goStringLiteral(nameNode)
        const line = ctx.lineOf(lit)
        if (name === undefined) {
          ctx.diagnose({ code: 'UNRESOLVED_MCP_NAME', line, message: `mcp.${type.field('name')!.text()} literal without a literal ${spec[1]}: not listed` })
          continue
        }
        const fact: McpFact = { kind: spec[0], name, line, framework: 'go-sdk' }
        const description = fields.get('Description')
        const text = description && goStringLiteral(description)
        if (text !== undefined) fact.description = text
        if (spec[0] === 'mcp-tool') {
          const input = handlerInput(lit, functions, structs)
          if (input) fact.inputSchema = input
          const annotations = fields.get('Annotations')
          const hints = annotations && literalHints(annotations)
          if (hints) fact.annotations = hints
        }
        if (spec[0] === 'mcp-prompt') {
          const args = fields.get('Arguments')
          if (args?.kind() === 'composite_literal') fact.inputSchema = promptArguments(args)
        }
        mcp.push(fact)
      }
    }
    return { mcp }
  },
})

function mcpGoFact(call: SgNode, fn: string | undefined, qualifiedName: (c: SgNode) => string | undefined, ctx: ExtractContext): McpFact | undefined {
  if (!fn) return undefined
  const args = argsOf(call)
  const first = args[0] && goStringLiteral(args[0])
  const line = ctx.lineOf(call)
  if (first === undefined) {
    ctx.diagnose({ code: 'UNRESOLVED_MCP_NAME', line, message: `mcp.${fn}() with a name that is not a literal: not listed` })
    return undefined
  }
  const kind: McpKind = fn.startsWith('NewTool') ? 'mcp-tool' : fn.startsWith('NewPrompt') ? 'mcp-prompt' : 'mcp-resource'
  const fact: McpFact = { kind, name: first, line }
  if (fn === 'NewToolWithRawSchema') {
    const description = args[1] && goStringLiteral(args[1])
    if (description !== undefined) fact.description = description
    return fact
  }
  const props: PropertySchema[] = []
  const hints: Record<string, unknown> = {}
  for (const option of args.slice(1)) {
    if (option.kind() !== 'call_expression') continue
    const name = qualifiedName(option) ?? ''
    const optionArgs = argsOf(option)
    const value = optionArgs[0] && goStringLiteral(optionArgs[0])
    if (/^With(Resource|Template|Prompt)?Description$/.test(name) && value !== undefined) fact.description = value
    else if (name in PROPERTY_TYPES && value !== undefined) props.push(propertyOf(value, PROPERTY_TYPES[name]!, optionArgs.slice(1), qualifiedName))
    else if (name === 'WithArgument' && value !== undefined) props.push(propertyOf(value, 'string', optionArgs.slice(1), qualifiedName))
    else if (HINTS[name] && optionArgs[0]) hints[HINTS[name]!] = goLiteral(optionArgs[0])
  }
  if (kind !== 'mcp-resource') fact.inputSchema = objectSchema(props)
  if (kind === 'mcp-tool' && Object.keys(hints).length) fact.annotations = hints
  return fact
}

/** `mcp.WithString("path", mcp.Required(), mcp.Description("..."), mcp.Enum("a", "b"))`. */
function propertyOf(name: string, type: string, options: SgNode[], qualifiedName: (c: SgNode) => string | undefined): PropertySchema {
  const schema: Schema = type ? { type } : {}
  let required = false
  for (const option of options) {
    if (option.kind() !== 'call_expression') continue
    const fn = qualifiedName(option)
    const args = argsOf(option)
    if (fn === 'Required' || fn === 'RequiredArgument') required = true
    else if ((fn === 'Description' || fn === 'ArgumentDescription') && args[0]) schema.description = goStringLiteral(args[0])
    else if (fn === 'Enum') schema.enum = args.map((a) => goStringLiteral(a)).filter((s) => s !== undefined)
    else if (fn?.startsWith('Default') && args[0]) schema.default = goLiteral(args[0])
    else if (fn === 'WithStringItems') schema.items = { type: 'string' }
    else if (fn === 'WithNumberItems') schema.items = { type: 'number' }
  }
  if (schema.description === undefined) delete schema.description
  return { name, schema, required }
}

function goLiteral(node: SgNode): unknown {
  const s = goStringLiteral(node)
  if (s !== undefined) return s
  const k = node.kind()
  if (k === 'true') return true
  if (k === 'false') return false
  if (k === 'int_literal' || k === 'float_literal') return Number(node.text())
  return node.text()
}

/** `Key: value` elements of a composite literal, by key. */
function keyedFields(lit: SgNode): Map<string, SgNode> {
  const out = new Map<string, SgNode>()
  const body = lit.kind() === 'literal_value' ? lit : lit.field('body')
  for (const el of body?.namedChildren() ?? []) {
    if (el.kind() !== 'keyed_element') continue
    const [key, value] = el.namedChildren().map((c) => (c.kind() === 'literal_element' ? (c.namedChildren()[0] ?? c) : c))
    if (key && value) out.set(key.text(), value.kind() === 'unary_expression' ? (value.namedChildren()[0] ?? value) : value)
  }
  return out
}

function literalHints(node: SgNode): Record<string, unknown> | undefined {
  if (node.kind() !== 'composite_literal') return undefined
  const out: Record<string, unknown> = {}
  for (const [key, value] of keyedFields(node)) out[key[0]!.toLowerCase() + key.slice(1)] = goLiteral(value)
  return Object.keys(out).length ? out : undefined
}

function promptArguments(list: SgNode): Schema {
  const props: PropertySchema[] = []
  for (const el of list.field('body')?.namedChildren() ?? []) {
    const lit = el.kind() === 'literal_element' ? el.namedChildren()[0] : el
    if (!lit) continue
    const fields = keyedFields(lit)
    const name = fields.get('Name')
    const text = name && goStringLiteral(name)
    if (text === undefined) continue
    const description = fields.get('Description')
    const schema: Schema = { type: 'string' }
    const d = description && goStringLiteral(description)
    if (d !== undefined) schema.description = d
    props.push({ name: text, schema, required: fields.get('Required')?.kind() === 'true' })
  }
  return objectSchema(props)
}

/** `mcp.AddTool(server, &mcp.Tool{...}, handler)`: the handler's input struct (third parameter) as a JSON Schema. */
function handlerInput(lit: SgNode, functions: Map<string, SgNode>, structs: Map<string, SgNode>): Schema | undefined {
  const call = lit.ancestors().find((a) => a.kind() === 'call_expression')
  if (!call || !/(^|\.)AddTool$/.test(call.field('function')?.text() ?? '')) return undefined
  const handler = argsOf(call).at(-1)
  const fn = handler?.kind() === 'identifier' ? functions.get(handler.text()) : handler?.kind() === 'func_literal' ? handler : undefined
  const params =
    fn
      ?.field('parameters')
      ?.namedChildren()
      .filter((p) => p.kind() === 'parameter_declaration') ?? []
  const input = params[2]?.field('type')
  const struct = input && structs.get(input.text().replace(/^\*/, ''))
  return struct ? structSchema(struct) : undefined
}

/** A struct's exported fields as the go-sdk infers them: `json` tag names, `omitempty` optional, `jsonschema` tag the description. */
function structSchema(struct: SgNode): Schema {
  const props: PropertySchema[] = []
  for (const field of struct.findAll({ rule: { kind: 'field_declaration' } })) {
    const name = field.field('name')?.text()
    const type = field.field('type')
    if (!name || !type || name[0] !== name[0]!.toUpperCase()) continue
    const tag = field.field('tag')
    const tagText = tag ? (goStringLiteral(tag) ?? '') : ''
    const json = /(?:^|\s)json:"([^"]*)"/.exec(tagText)?.[1]
    if (json === '-') continue
    const [jsonName, ...flags] = (json ?? '').split(',')
    const schema = goTypeSchema(type)
    const description = /(?:^|\s)jsonschema:"([^"]*)"/.exec(tagText)?.[1]
    if (description) schema.description = description
    props.push({ name: jsonName || name, schema, required: !flags.includes('omitempty') && !flags.includes('omitzero') })
  }
  return objectSchema(props)
}

function goTypeSchema(type: SgNode): Schema {
  const k = type.kind()
  if (k === 'pointer_type') return type.namedChildren()[0] ? goTypeSchema(type.namedChildren()[0]!) : {}
  if (k === 'slice_type' || k === 'array_type') return { type: 'array', items: type.field('element') ? goTypeSchema(type.field('element')!) : {} }
  if (k === 'map_type') return { type: 'object' }
  const text = type.text()
  if (text === 'string') return { type: 'string' }
  if (text === 'bool') return { type: 'boolean' }
  if (/^u?int(8|16|32|64)?$/.test(text)) return { type: 'integer' }
  if (text === 'float32' || text === 'float64') return { type: 'number' }
  return {}
}
