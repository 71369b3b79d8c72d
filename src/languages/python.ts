import type { SgNode } from '@ast-grep/napi'
import { expandBraceTemplate, mergeLiterals } from './template.js'
import type { LanguageSupport, ModuleInfo, PathExpr } from './types.js'

/** Python: import tables, module-level string constants, settings-class attributes, and string evaluation. */
export const pythonLanguage: LanguageSupport = {
  family: 'python',
  analyzeModule,
  pathOf: pyPathOf,
}

/** The value of a plain string literal (no f-string interpolation), or undefined for anything else. */
export function pyStringLiteral(node: SgNode): string | undefined {
  if (node.kind() === 'concatenated_string') {
    let out = ''
    for (const part of node.namedChildren()) {
      const s = pyStringLiteral(part)
      if (s === undefined) return undefined
      out += s
    }
    return out
  }
  if (node.kind() !== 'string') return undefined
  const parts = stringParts(node)
  return parts.every((p) => typeof p === 'string') ? parts.join('') : undefined
}

/** Evaluate a string-valued Python expression into a path expression. */
export function pyPathOf(node: SgNode): PathExpr {
  switch (node.kind()) {
    case 'string':
      return stringParts(node)
    case 'concatenated_string':
      return mergeLiterals(node.namedChildren().flatMap((s) => pyPathOf(s)))
    case 'parenthesized_expression': {
      const inner = node.namedChildren()[0]
      return inner ? pyPathOf(inner) : unknown(node)
    }
    case 'binary_operator': {
      const left = node.field('left')
      const right = node.field('right')
      const op = node.field('operator')?.text()
      if (!left || !right) return unknown(node)
      if (op === '+') return mergeLiterals([...pyPathOf(left), ...pyPathOf(right)])
      if (op === '%') return percentFormat(node, left, right)
      return unknown(node)
    }
    case 'call':
      return formatCall(node)
    case 'identifier':
      return [{ ref: node.text() }]
    case 'attribute':
      return isDottedName(node) ? [{ ref: node.text() }] : unknown(node)
    case 'subscript':
      return configKey(node) ?? unknown(node)
    default:
      return unknown(node)
  }
}

/**
 * `app.config["AUTH_URL_PREFIX"]`: Flask's configuration is filled from the upper-case attributes of
 * config objects (https://flask.palletsprojects.com/en/stable/config/), so the key names a constant.
 */
function configKey(node: SgNode): PathExpr | undefined {
  const value = node.field('value')
  const key = node.field('subscript')
  const name = key && pyStringLiteral(key)
  if (!value || !isDottedName(value) || value.text().split('.').pop() !== 'config' || !name || !/^[A-Z][A-Z0-9_]*$/.test(name)) return undefined
  return [{ ref: name }]
}

function unknown(node: SgNode): PathExpr {
  return [{ unknown: node.text() }]
}

function isFString(node: SgNode): boolean {
  const start = node.children()[0]
  return !!start && start.kind() === 'string_start' && /f/i.test(start.text())
}

/** The parts of one string literal: its text, and `{expr}` of an f-string as the value of `expr`. */
function stringParts(node: SgNode): PathExpr {
  const f = isFString(node)
  const out: PathExpr = []
  for (const child of node.children()) {
    const k = child.kind()
    if (k === 'string_content') out.push(f ? child.text().replace(/\{\{/g, '{').replace(/\}\}/g, '}') : child.text())
    else if (k === 'interpolation') {
      const expr = child.field('expression')
      // `{x!r}` and `{x:>5}` change the text: not a plain substitution.
      const plain = !child.children().some((c) => c.kind() === 'type_conversion' || c.kind() === 'format_specifier')
      out.push(...(expr && plain ? pyPathOf(expr) : unknown(child)))
    }
  }
  return mergeLiterals(out)
}

function isDottedName(node: SgNode): boolean {
  const k = node.kind()
  if (k === 'identifier') return true
  if (k !== 'attribute') return false
  const obj = node.field('object')
  return !!obj && node.field('attribute')?.kind() === 'identifier' && isDottedName(obj)
}

/** `"/api/%s" % VERSION` and `"/%s/%s" % (A, B)`: only `%s` with plain values; anything else is unknown. */
function percentFormat(node: SgNode, left: SgNode, right: SgNode): PathExpr {
  const template = pyStringLiteral(left)
  if (template === undefined) return unknown(node)
  const values = right.kind() === 'tuple' ? right.namedChildren() : [right]
  const pieces = template.split('%s')
  if (pieces.length - 1 !== values.length || pieces.some((p) => p.includes('%') && !p.includes('%%'))) return unknown(node)
  const out: PathExpr = [pieces[0]!.replace(/%%/g, '%')]
  values.forEach((v, i) => out.push(...pyPathOf(v), pieces[i + 1]!.replace(/%%/g, '%')))
  return mergeLiterals(out)
}

/** `"/api/{}/{name}".format(V, name=N)`: positional, numbered and keyword fields without format specs. */
function formatCall(node: SgNode): PathExpr {
  const fn = node.field('function')
  const obj = fn?.kind() === 'attribute' ? fn.field('object') : null
  if (!fn || !obj || fn.field('attribute')?.text() !== 'format') return unknown(node)
  const template = pyStringLiteral(obj)
  if (template === undefined) return unknown(node)
  const positional: SgNode[] = []
  const keywords = new Map<string, SgNode>()
  for (const arg of node.field('arguments')?.namedChildren() ?? []) {
    if (arg.kind() === 'keyword_argument') {
      const name = arg.field('name')?.text()
      const value = arg.field('value')
      if (name && value) keywords.set(name, value)
    } else if (arg.kind() === 'list_splat' || arg.kind() === 'dictionary_splat') return unknown(node)
    else if (arg.kind() !== 'comment') positional.push(arg)
  }
  const out = expandBraceTemplate(template, (spec, position) => {
    const value = spec === '' ? positional[position] : /^\d+$/.test(spec) ? positional[Number(spec)] : keywords.get(spec)
    return value ? pyPathOf(value) : undefined
  })
  return out ? mergeLiterals(out) : unknown(node)
}

function analyzeModule(root: SgNode): ModuleInfo {
  const info: ModuleInfo = { imports: {}, exports: {}, constants: {} }
  for (const stmt of root.children()) {
    const kind = stmt.kind()
    if (kind === 'import_statement') collectImport(stmt, info)
    else if (kind === 'import_from_statement') collectFromImport(stmt, info)
    else if (kind === 'expression_statement') {
      const assign = stmt.namedChildren()[0]
      if (assign?.kind() === 'assignment') collectConstant(assign, '', info)
    } else if (kind === 'class_definition') collectClass(stmt, info)
    else if (kind === 'decorated_definition') {
      const def = stmt.field('definition')
      if (def?.kind() === 'class_definition') collectClass(def, info)
    }
  }
  // Imports inside functions and `try`/`if` blocks (`def create_app(): from .api import api`) bind
  // names there; a module-level import of the same name keeps precedence.
  const nested: ModuleInfo = { imports: {}, exports: {}, constants: {} }
  for (const stmt of root.findAll({ rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } })) {
    if (stmt.parent()?.kind() === 'module') continue
    if (stmt.kind() === 'import_statement') collectImport(stmt, nested)
    else collectFromImport(stmt, nested)
  }
  for (const [name, value] of Object.entries(nested.imports)) if (!Object.hasOwn(info.imports, name)) info.imports[name] = value
  return info
}

/** `import a.b as c` binds `c` to module `a.b`; `import a.b` binds `a` (and `a.b` for dotted use). */
function collectImport(stmt: SgNode, info: ModuleInfo): void {
  for (const name of stmt.fieldChildren('name')) {
    if (name.kind() === 'aliased_import') {
      const module = name.field('name')?.text()
      const alias = name.field('alias')?.text()
      if (module && alias) info.imports[alias] = { module, name: '*' }
    } else if (name.kind() === 'dotted_name') {
      const module = name.text()
      const head = module.split('.')[0]!
      info.imports[head] ??= { module: head, name: '*' }
      if (module !== head) info.imports[module] = { module, name: '*' }
    }
  }
}

/** `from a.b import c as d` binds `d` to `c` of `a.b`; relative modules keep their dots (`..x`). */
function collectFromImport(stmt: SgNode, info: ModuleInfo): void {
  const module = stmt.field('module_name')?.text().replace(/\s+/g, '')
  if (!module) return
  // `from .episodes import *`: every public name of the module, followed when a name is found nowhere else.
  if (stmt.children().some((c) => c.kind() === 'wildcard_import')) info.imports[`*${module}`] = { module, name: '*' }
  for (const name of stmt.fieldChildren('name')) {
    if (name.kind() === 'aliased_import') {
      const imported = name.field('name')?.text()
      const alias = name.field('alias')?.text()
      if (imported && alias) info.imports[alias] = { module, name: imported }
    } else if (name.kind() === 'dotted_name') info.imports[name.text()] = { module, name: name.text() }
  }
}

const STRING_KINDS = new Set(['string', 'concatenated_string', 'binary_operator', 'parenthesized_expression', 'call'])

/** `NAME = "..."`, `NAME: str = "..."`, `NAME = BASE + "/x"`; also `ALIAS = OTHER_NAME` for upper-case names. */
function collectConstant(assign: SgNode, scope: string, info: ModuleInfo): void {
  const left = assign.field('left')
  const right = assign.field('right')
  if (!left || !right || left.kind() !== 'identifier') return
  const name = left.text()
  const k = String(right.kind())
  const isString = STRING_KINDS.has(k) && (k !== 'call' || right.field('function')?.field('attribute')?.text() === 'format')
  const isAlias = (k === 'identifier' || k === 'attribute') && /^[A-Z][A-Z0-9_]*$/.test(name)
  if (!isString && !isAlias) return
  const value = pyPathOf(right)
  // An expression that is neither text nor a reference (`a * b`) is no constant.
  if (value.length === 1 && typeof value[0] === 'object' && 'unknown' in value[0]) return
  info.constants[scope + name] = value
}

/** Class attributes of simple settings classes, as `Cls.NAME` (`class Settings: API_PREFIX = "/api"`). */
function collectClass(cls: SgNode, info: ModuleInfo): void {
  const name = cls.field('name')?.text()
  const body = cls.field('body')
  if (!name || !body) return
  for (const stmt of body.children()) {
    if (stmt.kind() !== 'expression_statement') continue
    const assign = stmt.namedChildren()[0]
    if (assign?.kind() === 'assignment') collectConstant(assign, `${name}.`, info)
  }
}
