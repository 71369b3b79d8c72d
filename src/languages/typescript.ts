import type { SgNode } from '@ast-grep/napi'
import type { LanguageSupport, ModuleInfo, PathExpr } from './types.js'

/** TypeScript and JavaScript (ESM and CommonJS): module tables and string evaluation. */
export const jsLanguage: LanguageSupport = {
  family: 'js',
  analyzeModule,
  pathOf: jsPathOf,
}

export function stringLiteral(node: SgNode): string | undefined {
  const kind = node.kind()
  if (kind === 'string') return node.text().slice(1, -1)
  if (kind === 'template_string' && !node.children().some((c) => c.kind() === 'template_substitution')) {
    return node.text().slice(1, -1)
  }
  return undefined
}

export function jsPathOf(node: SgNode): PathExpr {
  switch (node.kind()) {
    case 'string':
      return [node.text().slice(1, -1)]
    case 'template_string': {
      const out: PathExpr = []
      for (const child of node.children()) {
        const k = child.kind()
        if (k === 'string_fragment' || k === 'escape_sequence') out.push(child.text())
        else if (k === 'template_substitution') {
          const expr = child.namedChildren()[0]
          out.push(...(expr ? jsPathOf(expr) : [{ unknown: child.text() }]))
        }
      }
      return out
    }
    case 'binary_expression': {
      const left = node.field('left')
      const right = node.field('right')
      const op = node.field('operator')?.text() ?? node.children()[1]?.text()
      if (left && right && op === '+') return [...jsPathOf(left), ...jsPathOf(right)]
      return [{ unknown: node.text() }]
    }
    case 'parenthesized_expression':
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression': {
      const inner = node.namedChildren()[0]
      return inner ? jsPathOf(inner) : [{ unknown: node.text() }]
    }
    case 'regex':
      return [{ unknown: node.text(), why: 'a regular expression' }]
    case 'identifier':
      return node.text() === 'undefined' ? [{ unknown: 'undefined' }] : [{ ref: node.text() }]
    case 'member_expression':
      return isDottedName(node) ? [{ ref: node.text() }] : [{ unknown: node.text() }]
    default:
      return [{ unknown: node.text() }]
  }
}

function isDottedName(node: SgNode): boolean {
  const k = node.kind()
  if (k === 'identifier' || k === 'property_identifier' || k === 'this') return true
  if (k !== 'member_expression') return false
  const obj = node.field('object')
  const prop = node.field('property')
  return !!obj && !!prop && prop.kind() === 'property_identifier' && isDottedName(obj)
}

function analyzeModule(root: SgNode): ModuleInfo {
  const info: ModuleInfo = { imports: {}, exports: {}, constants: {} }
  for (const stmt of root.children()) {
    const kind = stmt.kind()
    if (kind === 'import_statement') collectImport(stmt, info)
    else if (kind === 'lexical_declaration' || kind === 'variable_declaration') collectDeclaration(stmt, info, false)
    else if (kind === 'enum_declaration') collectEnum(stmt, info)
    else if (kind === 'class_declaration' || kind === 'abstract_class_declaration') collectStatics(stmt, info)
    else if (kind === 'export_statement') collectExport(stmt, info)
    else if (kind === 'expression_statement') collectCommonJsExport(stmt, info)
  }
  return info
}

function collectImport(stmt: SgNode, info: ModuleInfo): void {
  const source = stmt.field('source')
  if (!source) return
  const module = source.text().slice(1, -1)
  const clause = stmt.children().find((c) => c.kind() === 'import_clause')
  if (!clause) return
  for (const part of clause.children()) {
    const k = part.kind()
    if (k === 'identifier') info.imports[part.text()] = { module, name: 'default' }
    else if (k === 'namespace_import') {
      const id = part.children().find((c) => c.kind() === 'identifier')
      if (id) info.imports[id.text()] = { module, name: '*' }
    } else if (k === 'named_imports') {
      for (const spec of part.children()) {
        if (spec.kind() !== 'import_specifier') continue
        const name = spec.field('name')?.text()
        const alias = spec.field('alias')?.text()
        if (name) info.imports[alias ?? name] = { module, name }
      }
    }
  }
}

function requireSpecifier(node: SgNode | null): string | undefined {
  if (node?.kind() !== 'call_expression') return undefined
  const fn = node.field('function')
  if (fn?.text() !== 'require') return undefined
  const arg = node.field('arguments')?.namedChildren()[0]
  return arg ? stringLiteral(arg) : undefined
}

function collectDeclaration(stmt: SgNode, info: ModuleInfo, exported: boolean): void {
  const isConst = stmt.kind() === 'lexical_declaration' && stmt.children()[0]?.text() === 'const'
  for (const decl of stmt.children()) {
    if (decl.kind() !== 'variable_declarator') continue
    const name = decl.field('name')
    let value = decl.field('value')
    if (!name) continue
    if (exported && name.kind() === 'identifier') info.exports[name.text()] = name.text()
    if (!value) continue
    while (value.kind() === 'as_expression' || value.kind() === 'satisfies_expression') {
      const inner: SgNode | undefined = value.namedChildren()[0]
      if (!inner) break
      value = inner
    }
    // `const x = require('./x')` and `const { a, b: c } = require('./x')`
    const spec = requireSpecifier(value)
    if (spec !== undefined) {
      if (name.kind() === 'identifier') info.imports[name.text()] = { module: spec, name: 'default' }
      else if (name.kind() === 'object_pattern') {
        for (const p of name.namedChildren()) {
          if (p.kind() === 'shorthand_property_identifier_pattern') info.imports[p.text()] = { module: spec, name: p.text() }
          else if (p.kind() === 'pair_pattern') {
            const key = p.field('key')?.text()
            const local = p.field('value')?.text()
            if (key && local) info.imports[local] = { module: spec, name: key }
          }
        }
      }
      continue
    }
    // `const x = require('./x').router`
    if (value.kind() === 'member_expression') {
      const objSpec = requireSpecifier(value.field('object'))
      const prop = value.field('property')?.text()
      if (objSpec !== undefined && prop && name.kind() === 'identifier') {
        info.imports[name.text()] = { module: objSpec, name: prop }
        continue
      }
    }
    if (!isConst || name.kind() !== 'identifier') continue
    collectConstant(name.text(), value, info)
  }
}

function collectConstant(name: string, value: SgNode, info: ModuleInfo): void {
  const k = value.kind()
  if (k === 'string' || k === 'template_string' || k === 'binary_expression') {
    info.constants[name] = jsPathOf(value)
  } else if (k === 'object') {
    for (const pair of value.namedChildren()) {
      if (pair.kind() !== 'pair') continue
      const key = pair.field('key')
      const val = pair.field('value')
      if (!key || !val) continue
      const keyText = key.kind() === 'string' ? key.text().slice(1, -1) : key.text()
      collectConstant(`${name}.${keyText}`, val, info)
    }
  }
}

function collectEnum(stmt: SgNode, info: ModuleInfo): void {
  const name = stmt.field('name')?.text()
  const body = stmt.field('body')
  if (!name || !body) return
  for (const member of body.namedChildren()) {
    if (member.kind() !== 'enum_assignment') continue
    const key = member.field('name')?.text()
    const value = member.field('value')
    if (key && value && value.kind() === 'string') info.constants[`${name}.${key}`] = jsPathOf(value)
  }
}

/** `class Auth0SSO { static LOGIN_URI = '/login' }`: a static string field is the constant `Auth0SSO.LOGIN_URI`. */
function collectStatics(cls: SgNode, info: ModuleInfo): void {
  const name = cls.field('name')?.text()
  const body = cls.field('body')
  if (!name || !body) return
  for (const member of body.namedChildren()) {
    if (member.kind() !== 'public_field_definition' && member.kind() !== 'field_definition') continue
    if (!member.children().some((c) => c.kind() === 'static')) continue
    const key = (member.field('name') ?? member.field('property'))?.text()
    const value = member.field('value')
    if (key && value && (value.kind() === 'string' || value.kind() === 'template_string')) info.constants[`${name}.${key}`] = jsPathOf(value)
  }
}

function collectExport(stmt: SgNode, info: ModuleInfo): void {
  const decl = stmt.field('declaration')
  const isDefault = stmt.children().some((c) => c.kind() === 'default')
  if (decl) {
    const k = decl.kind()
    if (k === 'lexical_declaration' || k === 'variable_declaration') collectDeclaration(decl, info, true)
    else if (k === 'enum_declaration') collectEnum(decl, info)
    else if (k === 'class_declaration' || k === 'abstract_class_declaration') collectStatics(decl, info)
    const name = decl.field('name')?.text()
    if (name && k !== 'lexical_declaration' && k !== 'variable_declaration') {
      info.exports[isDefault ? 'default' : name] = name
    } else if (isDefault && !name) {
      // `export default async function (fastify) {}`: extractors name this symbol `default`.
      info.exports.default = 'default'
    }
    return
  }
  const value = stmt.field('value')
  if (isDefault && value) {
    info.exports.default = value.kind() === 'identifier' ? value.text() : 'default'
    return
  }
  const clause = stmt.children().find((c) => c.kind() === 'export_clause')
  const source = stmt.field('source')?.text().slice(1, -1)
  if (!clause) return
  for (const spec of clause.children()) {
    if (spec.kind() !== 'export_specifier') continue
    const name = spec.field('name')?.text()
    const alias = spec.field('alias')?.text()
    if (!name) continue
    if (source !== undefined) {
      // Re-export: import it under a synthetic local name, then export that.
      const local = `${source}#${name}`
      info.imports[local] = { module: source, name }
      info.exports[alias ?? name] = local
    } else info.exports[alias ?? name] = name
  }
}

function collectCommonJsExport(stmt: SgNode, info: ModuleInfo): void {
  const expr = stmt.namedChildren()[0]
  if (expr?.kind() !== 'assignment_expression') return
  const left = expr.field('left')?.text()
  const right = expr.field('right')
  if (!left || !right) return
  if (left === 'module.exports') {
    if (right.kind() === 'identifier') info.exports.default = right.text()
    else if (right.kind() === 'object') {
      for (const p of right.namedChildren()) {
        if (p.kind() === 'shorthand_property_identifier') info.exports[p.text()] = p.text()
        else if (p.kind() === 'pair') {
          const key = p.field('key')?.text()
          const val = p.field('value')
          if (key && val?.kind() === 'identifier') info.exports[key] = val.text()
        }
      }
      info.exports.default = 'default'
    } else info.exports.default = 'default'
  } else if (left.startsWith('module.exports.') || left.startsWith('exports.')) {
    const key = left.slice(left.lastIndexOf('.') + 1)
    if (right.kind() === 'identifier') info.exports[key] = right.text()
    else {
      info.exports[key] = key
      if (right.kind() === 'string' || right.kind() === 'template_string') info.constants[key] = jsPathOf(right)
    }
  }
}
