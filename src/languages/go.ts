import type { SgNode } from '@ast-grep/napi'
import type { LanguageSupport, ModuleInfo, PathExpr } from './types.js'

/**
 * Go: module tables and string evaluation. An import is recorded under the name the file uses
 * (its alias, or the last element of its path) as a namespace `{ module: importPath, name: '*' }`;
 * package-level `const` and `var` strings are constants; capitalised top-level names are exported.
 */
export const goLanguage: LanguageSupport = {
  family: 'go',
  analyzeModule: analyzeGoModule,
  pathOf: goPathOf,
}

/** The name a package is used by when imported without an alias: `github.com/labstack/echo/v4` -> `echo`. */
export function goPackageName(importPath: string): string {
  const parts = importPath.split('/').filter(Boolean)
  let last = parts[parts.length - 1] ?? importPath
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!
  // gopkg.in/yaml.v3 -> yaml
  return last.replace(/\.v\d+$/, '')
}

/** The text of a string literal node (interpreted or raw), or undefined for any other node. */
export function goStringLiteral(node: SgNode): string | undefined {
  const k = node.kind()
  if (k === 'raw_string_literal') return node.text().slice(1, -1)
  if (k !== 'interpreted_string_literal') return undefined
  const text = node.text()
  if (!text.includes('\\')) return text.slice(1, -1)
  try {
    return JSON.parse(text) as string
  } catch {
    return text.slice(1, -1)
  }
}

export function goPathOf(node: SgNode): PathExpr {
  const literal = goStringLiteral(node)
  if (literal !== undefined) return [literal]
  switch (node.kind()) {
    case 'binary_expression': {
      const left = node.field('left')
      const right = node.field('right')
      if (left && right && node.field('operator')?.text() === '+') return [...goPathOf(left), ...goPathOf(right)]
      break
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren()[0]
      if (inner) return goPathOf(inner)
      break
    }
    case 'identifier':
      return [{ ref: node.text() }]
    case 'selector_expression':
      if (isDottedName(node)) return [{ ref: node.text() }]
      break
    case 'call_expression': {
      const sprintf = sprintfOf(node) ?? pathJoinOf(node)
      if (sprintf) return sprintf
      break
    }
  }
  return [{ unknown: node.text() }]
}

function isDottedName(node: SgNode): boolean {
  const k = node.kind()
  if (k === 'identifier') return true
  if (k !== 'selector_expression') return false
  const operand = node.field('operand')
  return !!operand && isDottedName(operand)
}

/**
 * `path.Join(uriAdmin, "/custom.css")`: the parts with a `/` between them; the doubled and trailing
 * slashes path.Join would clean are cleaned when the path is normalised.
 */
function pathJoinOf(call: SgNode): PathExpr | undefined {
  if (call.field('function')?.text() !== 'path.Join') return undefined
  const args =
    call
      .field('arguments')
      ?.namedChildren()
      .filter((n) => n.kind() !== 'comment') ?? []
  if (!args.length) return undefined
  const out: PathExpr = []
  args.forEach((arg, i) => {
    const value = goPathOf(arg)
    if (i > 0 && !(value.length === 1 && value[0] === '')) out.push('/')
    out.push(...value)
  })
  return out
}

/** `fmt.Sprintf("/v%d/%s", 1, base)` when the format is a literal and every argument is known. */
function sprintfOf(call: SgNode): PathExpr | undefined {
  if (call.field('function')?.text() !== 'fmt.Sprintf') return undefined
  const args =
    call
      .field('arguments')
      ?.namedChildren()
      .filter((n) => n.kind() !== 'comment') ?? []
  const format = args[0] ? goStringLiteral(args[0]) : undefined
  if (format === undefined) return undefined
  const out: PathExpr = []
  let next = 1
  let text = ''
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!
    if (c !== '%') {
      text += c
      continue
    }
    if (format[i + 1] === '%') {
      text += '%'
      i++
      continue
    }
    // A verb: flags and width, then a letter.
    let j = i + 1
    while (j < format.length && /[-+# 0-9.]/.test(format[j]!)) j++
    const verb = format[j]
    i = j
    if (!verb || !'sdvq'.includes(verb)) return undefined
    const arg = args[next++]
    if (!arg) return undefined
    const value = arg.kind() === 'int_literal' ? [arg.text()] : goPathOf(arg)
    if (value.some((p) => typeof p !== 'string' && 'unknown' in p)) return undefined
    if (text) out.push(text)
    text = ''
    out.push(...value)
  }
  if (next !== args.length) return undefined
  if (text) out.push(text)
  return out
}

const STRING_VALUE_KINDS = new Set([
  'interpreted_string_literal',
  'raw_string_literal',
  'binary_expression',
  'parenthesized_expression',
  'identifier',
  'selector_expression',
  'call_expression',
])

export function analyzeGoModule(root: SgNode): ModuleInfo {
  const info: ModuleInfo = { imports: {}, exports: {}, constants: {} }
  for (const decl of root.children()) {
    const kind = decl.kind()
    if (kind === 'import_declaration') {
      for (const spec of decl.findAll({ rule: { kind: 'import_spec' } })) {
        const pathNode = spec.field('path')
        const path = pathNode ? goStringLiteral(pathNode) : undefined
        if (path === undefined) continue
        const alias = spec.field('name')
        if (alias && alias.kind() !== 'package_identifier') continue // `_` and `.` imports name nothing
        info.imports[alias?.text() ?? goPackageName(path)] = { module: path, name: '*' }
      }
    } else if (kind === 'const_declaration' || kind === 'var_declaration') {
      for (const spec of decl.findAll({ rule: { any: [{ kind: 'const_spec' }, { kind: 'var_spec' }] } })) collectSpec(spec, info)
    } else if (kind === 'function_declaration' || kind === 'type_declaration') {
      const name =
        kind === 'function_declaration'
          ? decl.field('name')?.text()
          : decl
              .find({ rule: { kind: 'type_spec' } })
              ?.field('name')
              ?.text()
      if (name && isExported(name)) info.exports[name] = name
      const result = kind === 'function_declaration' ? resultTypeName(decl.field('result')) : undefined
      if (name && result) (info.results ??= {})[name] = result
    }
  }
  addLocalDefaults(root, info)
  return info
}

/**
 * `base := "/"` inside a function, later perhaps replaced from configuration: the literal is the
 * default the code ships with, read where a path uses the name. A name given two different literals
 * in the file, or a package-level one, is left alone.
 */
function addLocalDefaults(root: SgNode, info: ModuleInfo): void {
  const seen = new Map<string, string | null>()
  for (const decl of root.findAll({ rule: { kind: 'short_var_declaration', inside: { kind: 'block', stopBy: 'end' } } })) {
    const left = decl.field('left')?.namedChildren() ?? []
    const right = decl.field('right')?.namedChildren() ?? []
    if (left.length !== right.length) continue
    left.forEach((l, i) => {
      const value = right[i]!
      const k = value.kind()
      if (l.kind() !== 'identifier' || (k !== 'interpreted_string_literal' && k !== 'raw_string_literal')) return
      const text = goStringLiteral(value)
      if (text === undefined) return
      const name = l.text()
      const before = seen.get(name)
      seen.set(name, before === undefined || before === text ? text : null)
    })
  }
  for (const [name, text] of seen) if (text !== null && !(name in info.constants)) info.constants[name] = [text]
}

/** `A, B = "/a", "/b"`: names before `=`, values in the expression list after it. */
function collectSpec(spec: SgNode, info: ModuleInfo): void {
  const names: string[] = []
  let values: SgNode[] = []
  for (const child of spec.children()) {
    if (child.kind() === 'identifier') names.push(child.text())
    else if (child.kind() === 'expression_list') values = child.namedChildren().filter((n) => n.kind() !== 'comment')
  }
  names.forEach((name, i) => {
    if (isExported(name)) info.exports[name] = name
    const value = values[i]
    if (!value || !STRING_VALUE_KINDS.has(String(value.kind()))) return
    const path = goPathOf(value)
    if (path.length === 1 && typeof path[0] !== 'string' && 'unknown' in path[0]!) return
    info.constants[name] = path
  })
}

/** `*Handler`, `(*Handler, error)`, `handlers.Handler`: the first result's named type, without the pointer. */
function resultTypeName(result: SgNode | null): string | undefined {
  let t = result
  if (t?.kind() === 'parameter_list')
    t =
      t
        .namedChildren()
        .find((p) => p.kind() === 'parameter_declaration')
        ?.field('type') ?? null
  while (t?.kind() === 'pointer_type') t = t.namedChildren()[0] ?? null
  if (t?.kind() === 'generic_type') t = t.field('type')
  if (t?.kind() === 'type_identifier') return t.text()
  if (t?.kind() === 'qualified_type') return t.text()
  return undefined
}

function isExported(name: string): boolean {
  return /^[A-Z]/.test(name)
}
