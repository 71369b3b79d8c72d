import type { SgNode } from '@ast-grep/napi'
import { expandBraceTemplate, mergeLiterals } from './template.js'
import type { LanguageSupport, ModuleInfo, PathExpr } from './types.js'

/**
 * Rust: module tables and string evaluation.
 *
 * A `use` path is recorded under the name the file uses: `use crate::a::{b, c as d}` gives
 * `b -> { module: 'crate::a', name: 'b' }` and `d -> { module: 'crate::a', name: 'c' }`; `mod x;`
 * is a namespace `{ module: 'self::x', name: '*' }`, and so are `crate`, `self` and `super`, so
 * that a path like `crate::routes::api` resolves through the module files. String `const` and
 * `static` items are constants, those of inline modules and `impl` blocks as `paths::USERS`.
 */
export const rustLanguage: LanguageSupport = {
  family: 'rust',
  analyzeModule: analyzeRustModule,
  pathOf: rustPathOf,
}

/** The value of a string literal (`"..."`, `r#"..."#`), or undefined for any other node. */
export function rustStringLiteral(node: SgNode): string | undefined {
  const k = node.kind()
  if (k === 'raw_string_literal')
    return (
      node
        .children()
        .find((c) => c.kind() === 'string_content')
        ?.text() ?? ''
    )
  if (k !== 'string_literal') return undefined
  let out = ''
  for (const c of node.children()) {
    if (c.kind() === 'string_content') out += c.text()
    else if (c.kind() === 'escape_sequence') out += unescapeSequence(c.text())
  }
  return out
}

function unescapeSequence(seq: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" }
  const c = seq[1] ?? ''
  if (c in simple) return simple[c]!
  if (c === 'x') return String.fromCharCode(parseInt(seq.slice(2), 16))
  if (c === 'u') return String.fromCodePoint(parseInt(seq.slice(3, -1), 16))
  return ''
}

/** The comma-separated arguments of a macro's token tree (`routes![a, m::b]` -> `[[a], [m, ::, b]]`), without the delimiters. */
export function tokenGroups(tree: SgNode): SgNode[][] {
  const groups: SgNode[][] = [[]]
  const kids = tree.children()
  for (const c of kids.slice(1, -1)) {
    if (c.kind() === 'comment' || c.kind() === 'line_comment' || c.kind() === 'block_comment') continue
    if (c.text() === ',' && !c.isNamed()) groups.push([])
    else groups[groups.length - 1]!.push(c)
  }
  return groups.filter((g) => g.length > 0)
}

/** The token tree of a macro invocation (`concat!(...)`). */
export function macroTokens(node: SgNode): SgNode | undefined {
  return node.children().find((c) => c.kind() === 'token_tree')
}

/** The name of a macro invocation without its crate path: `const_format::concatcp` -> `concatcp`. */
export function macroName(node: SgNode): string {
  const path = node.field('macro')?.text() ?? node.children()[0]?.text() ?? ''
  return path.slice(path.lastIndexOf(':') + 1)
}

/** A path written as tokens inside a macro (`paths`, `::`, `USERS`), or undefined when the group is anything else. */
export function tokenPath(group: SgNode[]): string | undefined {
  let out = ''
  for (const [i, t] of group.entries()) {
    const ok = i % 2 === 0 ? ['identifier', 'crate', 'self', 'super'].includes(String(t.kind())) : t.text() === '::'
    if (!ok) return undefined
    out += t.text()
  }
  return group.length % 2 === 1 ? out : undefined
}

/** Evaluate one macro argument, written as tokens. */
function groupPath(group: SgNode[]): PathExpr {
  if (group.length === 1) return rustPathOf(group[0]!)
  const path = tokenPath(group)
  if (path !== undefined) return [{ ref: path }]
  // A nested macro: `concat!(...)` inside `concat!`/`format!` is `identifier ! token_tree`.
  const last = group[group.length - 1]!
  if (group.length >= 3 && group[group.length - 2]!.text() === '!' && last.kind() === 'token_tree') {
    const name = group[group.length - 3]!.text()
    return macroPath(name, last, group.map((g) => g.text()).join(''))
  }
  return [{ unknown: group.map((g) => g.text()).join(' ') }]
}

const CONCAT = new Set(['concat', 'concatcp', 'const_str'])
const FORMAT = new Set(['format', 'formatcp'])

function macroPath(name: string, tree: SgNode, text: string): PathExpr {
  const groups = tokenGroups(tree)
  if (CONCAT.has(name)) return groups.flatMap(groupPath)
  if (FORMAT.has(name)) return formatPath(groups, text)
  return [{ unknown: text }]
}

/** `format!("{}/users/{id}", PREFIX)`: literal text and constant references, or unknown as a whole when any part is. */
function formatPath(groups: SgNode[][], text: string): PathExpr {
  const template = groups[0]?.length === 1 ? rustStringLiteral(groups[0][0]!) : undefined
  if (template === undefined) return [{ unknown: text }]
  const positional: PathExpr[] = []
  const named = new Map<string, PathExpr>()
  for (const g of groups.slice(1)) {
    if (g.length >= 3 && g[0]!.kind() === 'identifier' && g[1]!.text() === '=') named.set(g[0]!.text(), groupPath(g.slice(2)))
    else positional.push(groupPath(g))
  }
  const out = expandBraceTemplate(template, (spec, position) => {
    if (spec.includes(':')) return undefined
    if (spec === '') return positional[position]
    if (/^\d+$/.test(spec)) return positional[Number(spec)]
    return named.get(spec) ?? [{ ref: spec }]
  })
  if (!out || out.some((p) => typeof p !== 'string' && 'unknown' in p)) return [{ unknown: text }]
  return out
}

const PASS_THROUGH_METHODS = new Set(['to_string', 'to_owned', 'into', 'as_str', 'clone'])

export function rustPathOf(node: SgNode): PathExpr {
  const literal = rustStringLiteral(node)
  if (literal !== undefined) return [literal]
  switch (node.kind()) {
    case 'identifier':
      return [{ ref: node.text() }]
    case 'scoped_identifier':
      return [{ ref: node.text() }]
    case 'reference_expression':
    case 'parenthesized_expression': {
      const inner = node.field('value') ?? node.namedChildren()[0]
      return inner ? rustPathOf(inner) : [{ unknown: node.text() }]
    }
    case 'macro_invocation': {
      const tree = macroTokens(node)
      return tree ? mergeLiterals(macroPath(macroName(node), tree, node.text())) : [{ unknown: node.text() }]
    }
    case 'call_expression': {
      // `"/x".to_string()`, `String::from("/x")`
      const fn = node.field('function')
      const args = node.field('arguments')?.namedChildren() ?? []
      if (fn?.kind() === 'field_expression' && args.length === 0 && PASS_THROUGH_METHODS.has(fn.field('field')?.text() ?? '')) {
        const recv = fn.field('value')
        if (recv) return rustPathOf(recv)
      }
      if (fn && /^(String|str|Cow)::from$/.test(fn.text()) && args.length === 1) return rustPathOf(args[0]!)
      // `[base, "/api"].concat()` and `[..].join("")` join the parts in order.
      const recv = fn?.kind() === 'field_expression' ? fn.field('value') : undefined
      const method = fn?.field('field')?.text()
      const joined = method === 'concat' ? args.length === 0 : method === 'join' && args.length === 1 && rustStringLiteral(args[0]!) === ''
      if (recv?.kind() === 'array_expression' && joined) return mergeLiterals(recv.namedChildren().flatMap((e) => rustPathOf(e)))
      return [{ unknown: node.text() }]
    }
    default:
      return [{ unknown: node.text() }]
  }
}

export function analyzeRustModule(root: SgNode): ModuleInfo {
  const info: ModuleInfo = {
    imports: {
      crate: { module: 'crate', name: '*' },
      self: { module: 'self', name: '*' },
      super: { module: 'super', name: '*' },
    },
    exports: {},
    constants: {},
  }
  collectItems(root, '', info)
  return info
}

function isPublic(item: SgNode): boolean {
  return item.children().some((c) => c.kind() === 'visibility_modifier')
}

function collectItems(container: SgNode, scope: string, info: ModuleInfo): void {
  for (const item of container.children()) {
    const kind = item.kind()
    if (kind === 'use_declaration') {
      const tree = item.field('argument') ?? item.namedChildren().find((c) => c.kind() !== 'visibility_modifier')
      // A `use` inside an inline module (`mod routes { use super::easy::Easy; }`) binds names the file's
      // own tables read too, unless the file binds them itself; its `super` is the file's module.
      if (tree && scope === '') collectUse(tree, [], info, isPublic(item))
      else if (tree && !scope.includes('::', scope.indexOf('::') + 2)) {
        const inner: ModuleInfo = { imports: {}, exports: {}, constants: {} }
        collectUse(tree, [], inner, false)
        for (const [name, imp] of Object.entries(inner.imports)) {
          if (Object.hasOwn(info.imports, name)) continue
          info.imports[name] = { ...imp, module: imp.module.replace(/^super(?=::|$)/, 'self') }
        }
      }
    } else if (kind === 'mod_item') {
      const name = item.field('name')?.text()
      if (!name) continue
      const body = item.field('body')
      if (body) collectItems(body, `${scope}${name}::`, info)
      else if (scope === '') {
        info.imports[name] = { module: `self::${name}`, name: '*' }
        if (isPublic(item)) info.exports[name] = name
      }
    } else if (kind === 'impl_item') {
      const type = item.field('type')?.text().replace(/<.*$/s, '')
      const body = item.field('body')
      if (type && body) {
        collectItems(body, `${scope}${type}::`, info)
        collectConstructorFields(body, type, info)
      }
    } else if (kind === 'const_item' || kind === 'static_item') {
      const name = item.field('name')?.text()
      const value = item.field('value')
      if (!name || !value) continue
      const path = structValue(value) ?? rustPathOf(value)
      if (path.length === 1 && typeof path[0] !== 'string' && 'unknown' in path[0]!) continue
      info.constants[`${scope}${name}`] = path
      if (scope === '' && isPublic(item)) info.exports[name] = name
    } else if (scope === '' && isPublic(item)) {
      const name = item.field('name')?.text()
      if (name) info.exports[name] = name
    }
  }
}

/**
 * A table of routes built by a constructor: `impl Meta { const fn new() -> Self { Self { health: "/x", sub: Sub::new() } } }`
 * gives `Meta.health` -> "/x" and `Meta.sub` -> a `Sub` value, so that `ROUTES.meta.health` can be read.
 */
function collectConstructorFields(body: SgNode, type: string, info: ModuleInfo): void {
  const name = type.split('::').pop()!
  for (const fn of body.children()) {
    if (fn.kind() !== 'function_item' || fn.field('parameters')?.namedChildren().length) continue
    const ret = fn.field('return_type')?.text()
    if (ret !== 'Self' && ret !== name) continue
    const block = fn.field('body')
    const last = block
      ?.namedChildren()
      .filter((c) => c.kind() !== 'line_comment' && c.kind() !== 'block_comment')
      .pop()
    const literal = last?.kind() === 'struct_expression' ? last : undefined
    if (!literal) continue
    const lname = literal.field('name')?.text()
    if (lname !== 'Self' && lname !== name) continue
    // `let login = "/signin"; Auth { login, .. }`: a shorthand field takes the local's value.
    const locals = new Map<string, SgNode>()
    for (const stmt of block?.namedChildren() ?? []) {
      const pattern = stmt.kind() === 'let_declaration' ? stmt.field('pattern') : undefined
      const value = stmt.field('value')
      if (pattern?.kind() === 'identifier' && value) locals.set(pattern.text(), value)
    }
    for (const field of literal.field('body')?.namedChildren() ?? []) {
      const shorthand = field.kind() === 'shorthand_field_initializer'
      if (field.kind() !== 'field_initializer' && !shorthand) continue
      const key = shorthand ? field.namedChildren()[0]?.text() : field.field('field')?.text()
      const value = shorthand ? locals.get(key ?? '') : field.field('value')
      if (!key || !value) continue
      const path = structValue(value) ?? rustPathOf(value)
      if (path.length === 1 && typeof path[0] !== 'string' && 'unknown' in path[0]!) continue
      if (!Object.hasOwn(info.constants, `${name}.${key}`)) info.constants[`${name}.${key}`] = path
    }
  }
}

/** `Routes::new()`, `Routes::default()`, `Routes { .. }`: a value of the struct `Routes`. */
function structValue(node: SgNode): PathExpr | undefined {
  if (node.kind() === 'call_expression' && !node.field('arguments')?.namedChildren().length) {
    const fn = node.field('function')
    if (fn?.kind() !== 'scoped_identifier') return undefined
    const segs = fn.text().split('::')
    const ctor = segs.pop()
    if (!ctor || !/^(new|default)$/.test(ctor) || !/^[A-Z]/.test(segs[segs.length - 1] ?? '')) return undefined
    return [{ ref: segs.join('::'), struct: true }]
  }
  if (node.kind() === 'struct_expression') {
    const name = node.field('name')?.text()
    return name && /^[A-Z]/.test(name.split('::').pop()!) ? [{ ref: name, struct: true }] : undefined
  }
  return undefined
}

/** One `use` tree: `a::b`, `a::b as c`, `a::{b, c}`, `a::*` (globs bind no name). */
function collectUse(tree: SgNode, prefix: string[], info: ModuleInfo, pub: boolean): void {
  const bind = (path: string[], local: string) => {
    if (path.length === 0) return
    const name = path[path.length - 1]!
    const module = path.slice(0, -1).join('::')
    info.imports[local] = module ? { module, name } : { module: name, name: '*' }
    if (pub) info.exports[local] = local
  }
  const segs = (node: SgNode | null) =>
    node
      ? node
          .text()
          .split('::')
          .map((s) => s.trim())
          .filter(Boolean)
      : []
  switch (tree.kind()) {
    case 'identifier':
    case 'scoped_identifier':
    case 'crate':
    case 'super': {
      const path = [...prefix, ...segs(tree)]
      bind(path, path[path.length - 1]!)
      return
    }
    case 'self':
      // `use a::b::{self}` binds `b`.
      if (prefix.length) bind(prefix, prefix[prefix.length - 1]!)
      return
    case 'use_as_clause': {
      const alias = tree.field('alias')?.text()
      const path = [...prefix, ...segs(tree.field('path'))]
      if (alias && alias !== '_') bind(path, alias)
      return
    }
    case 'scoped_use_list': {
      const list = tree.field('list')
      const next = [...prefix, ...segs(tree.field('path'))]
      if (list) collectUse(list, next, info, pub)
      return
    }
    case 'use_list':
      for (const c of tree.namedChildren()) collectUse(c, prefix, info, pub)
      return
    default:
      return
  }
}
