/**
 * diesel schemas: https://docs.diesel.rs/2.2.x/diesel/macro.table.html
 * `diesel::table! { users (id) { id -> Int4, name -> Nullable<Text>, } }` (what `diesel print-schema`
 * writes to schema.rs), with `#[sql_name = "..."]` on the table or a column and a `schema.table`
 * name. A column is nullable exactly when its type is `Nullable<T>`; `Array<T>` is `T[]`; SQL type
 * paths (`diesel::sql_types::Text`) are reduced to their last segment.
 */
import type { SgNode } from '@ast-grep/napi'
import { macroName, macroTokens, rustStringLiteral, tokenGroups } from '../../languages/rust.js'
import { lineOf, type SchemaColumn } from '../orm-syntax.js'
import { defineExtractor, type SchemaFact } from '../types.js'

export const extractor = defineExtractor({
  id: 'diesel',
  family: 'rust',
  docs: 'https://docs.diesel.rs/2.2.x/diesel/macro.table.html',
  provides: ['schema'],
  detect: (m) => m.dependencies.has('diesel'),
  needles: ['table!'],
  extract(file, ctx) {
    const schema: SchemaFact[] = []
    for (const macro of file.root.findAll({ rule: { kind: 'macro_invocation' } })) {
      if (macroName(macro) !== 'table') continue
      const tree = macroTokens(macro)
      const fact = tree && readTable(tree)
      if (fact) schema.push(fact)
      else ctx.diagnose({ code: 'UNSUPPORTED_FORM', line: lineOf(macro), message: 'a table! macro parity cannot read: table not read' })
    }
    return { routes: [], mounts: [], schema }
  },
})

/** `#[sql_name = "x"]` in an attribute token tree (`[sql_name = "x"]`). */
function sqlName(attr: SgNode | undefined): string | undefined {
  const kids = attr?.children() ?? []
  if (kids[1]?.text() !== 'sql_name' || kids[2]?.text() !== '=') return undefined
  return kids[3] ? rustStringLiteral(kids[3]) : undefined
}

function readTable(tree: SgNode): SchemaFact | undefined {
  const kids = tree.children().slice(1, -1)
  const body = kids.findLastIndex((k) => k.kind() === 'token_tree' && k.text().startsWith('{'))
  const key = body - 1
  const nameAt = kids[key]?.kind() === 'token_tree' ? key - 1 : key
  const nameNode = kids[nameAt]
  if (body < 0 || nameNode?.kind() !== 'identifier') return undefined
  let table = nameNode.text()
  if (kids[nameAt - 1]?.text() === '.' && kids[nameAt - 2]?.kind() === 'identifier') table = `${kids[nameAt - 2]!.text()}.${table}`
  for (let i = 0; i < nameAt; i++) {
    if (kids[i]!.text() === '#') table = sqlName(kids[i + 1]) ?? table
  }
  const columns: SchemaColumn[] = []
  for (const group of tokenGroups(kids[body]!)) {
    let rename: string | undefined
    let i = 0
    while (group[i]?.text() === '#') {
      rename = sqlName(group[i + 1]) ?? rename
      i += 2
    }
    const name = group[i]
    if (name?.kind() !== 'identifier' || group[i + 1]?.text() !== '->') continue
    let type = group
      .slice(i + 2)
      .map((t) => t.text())
      .join('')
      .replace(/\b\w+::/g, '')
    let nullable = false
    const nullableInner = unwrap(type, 'Nullable')
    if (nullableInner !== undefined) {
      nullable = true
      type = nullableInner
    }
    const element = unwrap(type, 'Array')
    if (element !== undefined) type = `${unwrap(element, 'Nullable') ?? element}[]`
    columns.push({ name: rename ?? name.text(), type, nullable, line: lineOf(name) })
  }
  return { op: 'create-table', table, columns, line: lineOf(nameNode), origin: 'diesel' }
}

/** `Nullable<Text>` -> `Text` for wrapper `Nullable`. */
function unwrap(type: string, wrapper: string): string | undefined {
  return type.startsWith(`${wrapper}<`) && type.endsWith('>') ? type.slice(wrapper.length + 1, -1) : undefined
}
