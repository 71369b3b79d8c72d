/**
 * rmcp, the official Rust SDK: https://github.com/modelcontextprotocol/rust-sdk/tree/main/crates/rmcp
 * `#[tool(description = "...")]` functions inside an `impl` marked `#[tool_router]` (or the older
 * `#[tool_box]` / `#[tool(tool_box)]`): the name is the function's or `name = "..."`, the
 * description the attribute's or the doc comment. Arguments come from `Parameters<T>` (or the older
 * `#[tool(aggr)] req: T`), with `T` a struct of the same file, and from `#[tool(param)]`
 * parameters. `#[prompt]` functions of a `#[prompt_router]` impl are prompts.
 */
import type { SgNode } from '@ast-grep/napi'
import { tokenGroups } from '../../languages/rust.js'
import type { McpKind } from '../../model/inventory.js'
import { cleanDoc, objectSchema, type PropertySchema } from '../mcp-schema.js'
import { attributeArgs, attributeName, attributeOptions, attributesOf, lastSegment } from '../rust-syntax.js'
import { defineExtractor, type McpFact } from '../types.js'

const ROUTERS: Record<string, McpKind> = { tool_router: 'mcp-tool', tool_box: 'mcp-tool', prompt_router: 'mcp-prompt' }
const INTEGERS = new Set(['i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize'])
const ARRAYS = new Set(['Vec', 'VecDeque', 'HashSet', 'BTreeSet'])
const MAPS = new Set(['HashMap', 'BTreeMap', 'Map', 'IndexMap'])

type Schema = Record<string, unknown>

export const extractor = defineExtractor({
  id: 'rmcp',
  family: 'rust',
  docs: 'https://github.com/modelcontextprotocol/rust-sdk/tree/main/crates/rmcp',
  provides: ['mcp'],
  detect: (m) => m.dependencies.has('rmcp'),
  needles: ['tool_router', 'tool_box', 'prompt_router'],
  extract(file, ctx) {
    const mcp: McpFact[] = []
    const structs = new Map<string, SgNode>()
    for (const s of file.root.findAll({ rule: { kind: 'struct_item' } })) {
      const name = s.field('name')?.text()
      if (name && !structs.has(name)) structs.set(name, s)
    }
    for (const impl of file.root.findAll({ rule: { kind: 'impl_item' } })) {
      const kind = routerKind(impl)
      if (!kind) continue
      const marker = kind === 'mcp-tool' ? 'tool' : 'prompt'
      for (const fn of impl.field('body')?.children() ?? []) {
        if (fn.kind() !== 'function_item') continue
        const attr = attributesOf(fn).find((a) => attributeName(a) === marker)
        if (!attr) continue
        const options = attributeOptions(attributeArgs(attr))
        const fact: McpFact = { kind, name: options.get('name')?.[0] ?? fn.field('name')!.text(), line: ctx.lineOf(attr) }
        const description = options.get('description')?.[0] ?? docOf(fn)
        if (description) fact.description = description
        const props = parameterProps(fn, structs)
        if (props) fact.inputSchema = objectSchema(props)
        else
          ctx.diagnose({
            level: 'info',
            code: 'UNKNOWN_SCHEMA',
            line: fact.line,
            message: `the arguments of ${fact.name} are a type defined in another file: property names not read`,
          })
        const hints = annotationsOf(attributeArgs(attr))
        if (kind === 'mcp-tool' && hints) fact.annotations = hints
        mcp.push(fact)
      }
    }
    return { mcp }
  },
})

function routerKind(impl: SgNode): McpKind | undefined {
  for (const attr of attributesOf(impl)) {
    const name = attributeName(attr)
    if (ROUTERS[name]) return ROUTERS[name]
    if (name === 'tool' && attributeArgs(attr).some((g) => g.length === 1 && g[0]!.text() === 'tool_box')) return 'mcp-tool'
  }
  return undefined
}

/** `/// lines` written before an item (among its attributes), joined. */
function docOf(item: SgNode): string | undefined {
  const lines: string[] = []
  for (let prev = item.prev(); prev; prev = prev.prev()) {
    const k = prev.kind()
    if (k === 'line_comment') {
      const doc = prev.children().find((c) => c.kind() === 'doc_comment')
      if (doc && prev.children().some((c) => c.kind() === 'outer_doc_comment_marker')) lines.unshift(doc.text().replace(/\n$/, ''))
    } else if (k !== 'attribute_item' && k !== 'block_comment') break
  }
  return lines.length ? cleanDoc(lines.map((l) => l.replace(/^ /, '')).join('\n')) : undefined
}

/** The properties a client passes; undefined when a parameters struct is not in this file. */
function parameterProps(fn: SgNode, structs: Map<string, SgNode>): PropertySchema[] | undefined {
  const props: PropertySchema[] = []
  let pending: SgNode[] = []
  for (const p of fn.field('parameters')?.namedChildren() ?? []) {
    // Stacked parameter attributes parse as an ERROR node holding the first ones.
    if (p.kind() === 'attribute_item' || p.kind() === 'ERROR') {
      pending.push(...(p.kind() === 'ERROR' ? p.namedChildren().filter((c) => c.kind() === 'attribute_item') : [p]))
      continue
    }
    const attrs = pending.map((a) => a.namedChildren().find((c) => c.kind() === 'attribute')).filter((a): a is SgNode => !!a)
    pending = []
    if (p.kind() !== 'parameter') continue
    const type = p.field('type')
    if (!type) continue
    const toolArgs = attrs.filter((a) => attributeName(a) === 'tool').flatMap((a) => attributeArgs(a).map((g) => g.map((t) => t.text()).join('')))
    const wrapper = type.kind() === 'generic_type' ? lastSegment(type.field('type')?.text() ?? '') : ''
    if (wrapper === 'Parameters' || toolArgs.includes('aggr')) {
      const inner = wrapper === 'Parameters' ? type.field('type_arguments')?.namedChildren()[0] : type
      const struct = inner && structs.get(lastSegment(inner.text()))
      if (!struct) return undefined
      props.push(...structProps(struct))
    } else if (toolArgs.includes('param')) {
      const name = p.field('pattern')?.text() ?? ''
      const { schema, optional } = typeSchema(type)
      const description = attrs
        .filter((a) => attributeName(a) === 'schemars')
        .map((a) => attributeOptions(attributeArgs(a)).get('description')?.[0])
        .find((d) => d !== undefined)
      if (description) schema.description = description
      props.push({ name, schema, required: !optional })
    }
  }
  return props
}

/** The fields of a parameters struct, renamed as serde renames them. */
function structProps(struct: SgNode): PropertySchema[] {
  const props: PropertySchema[] = []
  const renameAll = attributesOf(struct)
    .filter((a) => attributeName(a) === 'serde')
    .map((a) => attributeOptions(attributeArgs(a)).get('rename_all')?.[0])
    .find((r) => r !== undefined)
  const body = struct.field('body')
  for (const field of body?.namedChildren() ?? []) {
    if (field.kind() !== 'field_declaration') continue
    const rustName = field.field('name')?.text()
    const type = field.field('type')
    if (!rustName || !type) continue
    const attrs = attributesOf(field)
    const serde = attrs.filter((a) => attributeName(a) === 'serde').map((a) => attributeArgs(a))
    if (serde.some((groups) => groups.some((g) => g.length === 1 && g[0]!.text() === 'skip'))) continue
    const rename = serde.map((g) => attributeOptions(g).get('rename')?.[0]).find((r) => r !== undefined)
    const hasDefault = serde.some((groups) => groups.some((g) => g[0]?.text() === 'default'))
    const { schema, optional } = typeSchema(type)
    const description =
      attrs
        .filter((a) => attributeName(a) === 'schemars')
        .map((a) => attributeOptions(attributeArgs(a)).get('description')?.[0])
        .find((d) => d !== undefined) ?? docOf(field)
    if (description) schema.description = description
    props.push({ name: rename ?? renamed(rustName, renameAll), schema, required: !optional && !hasDefault })
  }
  return props
}

function renamed(name: string, rule: string | undefined): string {
  const words = name.split('_').filter(Boolean)
  if (rule === 'camelCase') return words.map((w, i) => (i ? w[0]!.toUpperCase() + w.slice(1) : w)).join('')
  if (rule === 'PascalCase') return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')
  if (rule === 'kebab-case') return words.join('-')
  if (rule === 'SCREAMING_SNAKE_CASE') return name.toUpperCase()
  return name
}

/** A Rust type as a JSON Schema (as schemars writes it, simplified); `Option<T>` is an optional T. */
function typeSchema(type: SgNode): { schema: Schema; optional: boolean } {
  let t = type
  while (t.kind() === 'reference_type') t = t.field('type') ?? t
  const text = t.text()
  if (text === 'String' || text === 'str' || text === 'char' || text === 'PathBuf') return { schema: { type: 'string' }, optional: false }
  if (INTEGERS.has(text)) return { schema: { type: 'integer' }, optional: false }
  if (text === 'f32' || text === 'f64') return { schema: { type: 'number' }, optional: false }
  if (text === 'bool') return { schema: { type: 'boolean' }, optional: false }
  if (t.kind() === 'generic_type') {
    const head = lastSegment(t.field('type')?.text() ?? '')
    const args = t.field('type_arguments')?.namedChildren() ?? []
    if (head === 'Option' && args[0]) return { schema: typeSchema(args[0]).schema, optional: true }
    if (ARRAYS.has(head)) return { schema: { type: 'array', items: args[0] ? typeSchema(args[0]).schema : {} }, optional: false }
    if (MAPS.has(head)) return { schema: { type: 'object' }, optional: false }
  }
  return { schema: {}, optional: false }
}

/** `#[tool(annotations(read_only_hint = true, title = "..."))]`: the hints, camel-cased as the protocol names them. */
function annotationsOf(groups: SgNode[][]): Record<string, unknown> | undefined {
  const group = groups.find((g) => g.length === 2 && g[0]!.text() === 'annotations' && g[1]!.kind() === 'token_tree')
  if (!group) return undefined
  const out: Record<string, unknown> = {}
  for (const [key, values] of attributeOptions(tokenGroups(group[1]!))) {
    const v = values[0]
    out[key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())] = v === 'true' ? true : v === 'false' ? false : v
  }
  return Object.keys(out).length ? out : undefined
}
