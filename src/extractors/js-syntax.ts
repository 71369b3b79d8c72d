/** Syntax helpers shared by the TypeScript/JavaScript extractors. */
import type { SgNode } from '@ast-grep/napi'
import type { ModuleInfo } from '../languages/types.js'
import type { ParsedFile } from './types.js'
import { stringLiteral } from '../languages/typescript.js'

const FUNCTION_KINDS = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'function',
])

/** Named arguments of a call, without the punctuation. */
export function argsOf(call: SgNode): SgNode[] {
  return (
    call
      .field('arguments')
      ?.namedChildren()
      .filter((n) => n.kind() !== 'comment') ?? []
  )
}

/** The name a function is known by in its file: its own, the variable or property holding it, `default`, or `anonymous@line`. */
export function functionName(fn: SgNode): string {
  const own = fn.field('name')
  if (own && fn.kind() !== 'method_definition') return own.text()
  if (fn.kind() === 'method_definition') return own?.text() ?? `anonymous@${fn.range().start.line + 1}`
  const parent = fn.parent()
  if (parent) {
    const pk = parent.kind()
    if (pk === 'variable_declarator') return parent.field('name')?.text() ?? 'default'
    if (pk === 'export_statement') return 'default'
    if (pk === 'pair') return parent.field('key')?.text() ?? 'default'
    if (pk === 'assignment_expression') {
      const left = parent.field('left')?.text() ?? ''
      if (left === 'module.exports' || left === 'exports.default') return 'default'
      return left.slice(left.lastIndexOf('.') + 1)
    }
  }
  return `anonymous@${fn.range().start.line + 1}`
}

/** True when `name` is a parameter of `fn` (plain, typed, defaulted or destructured). */
function hasParam(fn: SgNode, name: string): boolean {
  const params = fn.field('parameters') ?? fn.field('parameter')
  if (!params) return false
  if (params.kind() === 'identifier') return params.text() === name
  for (const p of params.namedChildren()) {
    const pattern = p.field('pattern') ?? p.field('left') ?? p
    if (pattern.kind() === 'identifier' && pattern.text() === name) return true
  }
  return false
}

function declares(fn: SgNode, name: string): boolean {
  const body = fn.field('body')
  return !!body && !!firstNamed(body, ['variable_declarator'], 'name', name)
}

/** Per parsed file: nodes of a kind by the text of one of their fields (`variable_declarator` by `name`), in document order. */
const namedIndexes = new WeakMap<object, Map<string, Map<string, SgNode[]>>>()

/**
 * The first node (in document order) inside `scope`, itself included, of one of `kinds` whose
 * `field` reads `name`: what `scope.find({ kind, has: { field, regex: ^name$ } })` finds, from an
 * index of the file built once per kind, so that asking at every call site of a large file (a
 * bundled library wrapped in one function) does not search the file each time.
 */
export function firstNamed(scope: SgNode, kinds: readonly string[], field: string, name: string): SgNode | undefined {
  const root = scope.getRoot()
  let byKind = namedIndexes.get(root)
  if (!byKind) namedIndexes.set(root, (byKind = new Map()))
  const { start, end } = scope.range()
  let best: SgNode | undefined
  let bestAt = Number.POSITIVE_INFINITY
  for (const kind of kinds) {
    const key = `${kind}.${field}`
    let index = byKind.get(key)
    if (!index) {
      index = new Map()
      for (const node of root.root().findAll({ rule: { kind } })) {
        const named = node.field(field)
        if (!named) continue
        const text = named.text()
        const list = index.get(text)
        if (list) list.push(node)
        else index.set(text, [node])
      }
      byKind.set(key, index)
    }
    for (const node of index.get(name) ?? []) {
      const r = node.range()
      if (r.start.index < start.index || r.end.index > end.index) continue
      if (r.start.index < bestAt) {
        best = node
        bestAt = r.start.index
      }
      break
    }
  }
  return best
}

/** Every node of `kind` in the file whose `field` reads `name`, in document order. */
export function allNamed(root: SgNode, kind: string, field: string, name: string): SgNode[] {
  firstNamed(root, [kind], field, name)
  return namedIndexes.get(root.getRoot())?.get(`${kind}.${field}`)?.get(name) ?? []
}

/**
 * The owner a router variable stands for where it is used: a parameter or a local of an enclosing
 * function is that function (`register(app)`, `createRouter()`), a top-level binding is its own name.
 */
export function ownerOf(node: SgNode, variable: string): string {
  if (variable === 'this' || variable.startsWith('this.')) return variable
  for (let cur = node.parent(); cur; cur = cur.parent()) {
    if (!FUNCTION_KINDS.has(String(cur.kind()))) continue
    if (hasParam(cur, variable) || declares(cur, variable)) return functionName(cur)
  }
  return variable
}

/** `getArticle` for `getArticle`, `ctrl.getArticle`, `asyncHandler(getArticle)`; undefined for inline functions. */
export function handlerName(node: SgNode | undefined): string | undefined {
  if (!node) return undefined
  const k = node.kind()
  if (k === 'identifier') return node.text()
  if (k === 'member_expression') return node.field('property')?.text()
  if (k === 'call_expression') {
    const inner = argsOf(node)[0]
    return inner ? handlerName(inner) : undefined
  }
  if (k === 'function_expression' || k === 'function') return node.field('name')?.text()
  return undefined
}

/** True when a name is imported from a package rather than from a file of this tree (relative, `@/`, or a tsconfig `paths` alias). */
export function isPackageImport(file: Pick<ParsedFile, 'module' | 'manifest'>, name: string): boolean {
  const head = name.split('.')[0]!
  const imp = file.module.imports[head]
  if (!imp || /^(\.{1,2}(\/|$)|@\/|~\/)/.test(imp.module)) return false
  const segs = imp.module.split('/')
  if (file.manifest?.workspace?.has(segs.slice(0, imp.module.startsWith('@') ? 2 : 1).join('/'))) return false
  return !(file.manifest?.aliases ?? []).some((a) => {
    const star = a.pattern.indexOf('*')
    return star === -1 ? imp.module === a.pattern : imp.module.startsWith(a.pattern.slice(0, star))
  })
}

/** True when the handler streams Server-Sent Events: it (or the function it names, in this file) sets `text/event-stream`. */
export function streamsEvents(root: SgNode, source: string, handlers: SgNode[]): boolean {
  if (!source.includes('text/event-stream')) return false
  for (const h of handlers) {
    const k = h.kind()
    if (k === 'arrow_function' || k === 'function_expression' || k === 'function') {
      if (h.text().includes('text/event-stream')) return true
    } else if (k === 'identifier' || k === 'member_expression') {
      const name = k === 'identifier' ? h.text() : h.field('property')?.text()
      if (!name) continue
      const decl = firstNamed(root, ['function_declaration', 'method_definition', 'variable_declarator'], 'name', name)
      if (decl?.text().includes('text/event-stream')) return true
    }
  }
  return false
}

/** The packages that make a file belong to one JS server framework, by extractor id. */
const FRAMEWORK_PACKAGES: Record<string, (spec: string) => boolean> = {
  express: (s) => s === 'express' || s === 'express-ws',
  fastify: (s) => s === 'fastify' || s === 'fastify-plugin' || s.startsWith('@fastify/'),
  koa: (s) => s === 'koa' || s === 'koa-router' || s === 'koa-mount' || s.startsWith('@koa/'),
  hono: (s) => s === 'hono' || s.startsWith('hono/') || s.startsWith('@hono/'),
  // Not the @hapi/* helpers (boom, joi) that Express and Koa apps use too.
  hapi: (s) => s === '@hapi/hapi' || s === 'hapi',
  tinyhttp: (s) => s === '@tinyhttp/app' || s === '@tinyhttp/router',
}

/**
 * True when a file imports another server framework and not framework `own`: its `app.get()`
 * calls are that framework's, whatever package.json (or none) governs the file.
 */
export function belongsToOtherFramework(module: ModuleInfo, own: string): boolean {
  const specs = Object.values(module.imports).map((i) => i.module)
  const ownTest = FRAMEWORK_PACKAGES[own]
  if (ownTest && specs.some(ownTest)) return false
  return Object.entries(FRAMEWORK_PACKAGES).some(([id, test]) => id !== own && specs.some(test))
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export const HTTP_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'options', 'head']

/** Needles for method calls, plain or with TypeScript type arguments (`fastify.get<{ Params: P }>(`). */
export function callNeedles(methods: string[]): string[] {
  return methods.flatMap((m) => [`.${m}(`, `.${m}<`])
}

/** The properties of a JS object literal by key (identifier, string or number keys; `{ sequelize }` shorthand too), spreads left out. */
export function objectProps(node: SgNode | undefined): Map<string, SgNode> {
  const out = new Map<string, SgNode>()
  if (node?.kind() !== 'object') return out
  for (const pair of node.namedChildren()) {
    if (pair.kind() === 'shorthand_property_identifier') out.set(pair.text(), pair)
    if (pair.kind() !== 'pair') continue
    const key = pair.field('key')
    const value = pair.field('value')
    if (!key || !value) continue
    const name = key.kind() === 'string' ? stringLiteral(key) : key.text()
    if (name !== undefined) out.set(name, value)
  }
  return out
}
