/**
 * Writing an accepted difference into the config's `accepted:` ledger, from the dashboard. YAML is
 * edited with the `yaml` Document API (comments kept); a TypeScript or JavaScript config is edited by
 * locating the config object with ast-grep and inserting the entry's text, so that every other byte
 * of the file stays as the team wrote it.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { Lang, parse, type SgNode } from '@ast-grep/napi'
import { isMap, isSeq, parseDocument } from 'yaml'
import { loadConfig } from '../config/load.js'
import { ParityError } from '../model/errors.js'

export interface AcceptEntry {
  fingerprint: string
  reason: string
}

/** Returns the YAML text with the entry appended to `accepted:` (the key added when absent). */
export function acceptIntoYaml(text: string, entry: AcceptEntry): string {
  const doc = parseDocument(text)
  if (doc.errors.length)
    throw new ParityError('CONFIG_INVALID', `the config does not parse: ${doc.errors[0]!.message.split('\n')[0]}`, 'fix the config file, then accept again')
  if (!isMap(doc.contents)) throw new ParityError('CONFIG_INVALID', 'the config is not a mapping', 'fix the config file, then accept again')
  const list = doc.get('accepted')
  const node = doc.createNode({ fingerprint: entry.fingerprint, reason: entry.reason })
  if (isSeq(list)) list.add(node)
  else if (list == null) doc.set('accepted', doc.createNode([{ fingerprint: entry.fingerprint, reason: entry.reason }]))
  else throw new ParityError('CONFIG_INVALID', '`accepted` in the config is not a list', 'make `accepted` a list of { fingerprint, reason }, then accept again')
  return doc.toString()
}

/** A single-quoted JavaScript string literal. */
function jsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`
}

function unwrap(node: SgNode | null, root: SgNode): SgNode | null {
  for (let depth = 0; node && depth < 8; depth++) {
    const kind = node.kind()
    if (kind === 'object') return node
    if (kind === 'call_expression')
      node =
        node
          .field('arguments')
          ?.namedChildren()
          .find((c) => c.kind() !== 'comment') ?? null
    else if (kind === 'parenthesized_expression' || kind === 'satisfies_expression' || kind === 'as_expression') node = node.namedChildren()[0] ?? null
    else if (kind === 'identifier') {
      const name = node.text()
      const decl = root.findAll({ rule: { kind: 'variable_declarator' } }).find((d) => d.field('name')?.text() === name)
      node = decl?.field('value') ?? null
    } else return null
  }
  return null
}

/** The object literal of the config: `export default defineConfig({...})`, `export default {...}`, or through a const. */
function configObject(root: SgNode): SgNode | null {
  for (const stmt of root.children()) {
    if (stmt.kind() !== 'export_statement' || !/^export\s+default\b/.test(stmt.text())) continue
    return unwrap(stmt.field('value') ?? stmt.namedChildren().find((c) => c.kind() !== 'comment') ?? null, root)
  }
  return null
}

const keyName = (pair: SgNode) =>
  pair
    .field('key')
    ?.text()
    .replace(/^['"]|['"]$/g, '')
const nonComment = (n: SgNode) => n.namedChildren().filter((c) => c.kind() !== 'comment')

/** The indentation of the line `index` is on. */
function indentAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1
  return /^[ \t]*/.exec(text.slice(start))![0]
}

/** Returns the TypeScript text with the entry inserted into the config object's `accepted` array (added when absent). */
export function acceptIntoTypeScript(text: string, entry: AcceptEntry): string {
  const root = parse(Lang.TypeScript, text).root()
  const object = configObject(root)
  if (!object) {
    throw new ParityError(
      'CONFIG_UNEDITABLE',
      'cannot find the config object (export default defineConfig({ ... }))',
      'add the entry to `accepted:` in the config by hand',
    )
  }
  const item = `{ fingerprint: ${jsString(entry.fingerprint)}, reason: ${jsString(entry.reason)} }`
  const insert = (at: number, what: string) => text.slice(0, at) + what + text.slice(at)
  const pairs = nonComment(object)
  const accepted = pairs.find((p) => p.kind() === 'pair' && keyName(p) === 'accepted')
  if (accepted) {
    const array = accepted.field('value')
    if (array?.kind() !== 'array') {
      throw new ParityError('CONFIG_UNEDITABLE', '`accepted` in the config is not an array literal', 'add the entry to `accepted:` in the config by hand')
    }
    const items = nonComment(array)
    const last = items.at(-1)
    if (!last) return insert(array.range().start.index + 1, item)
    const end = last.range().end.index
    const multiline = array.text().includes('\n')
    return insert(end, multiline ? `,\n${indentAt(text, last.range().start.index)}${item}` : `, ${item}`)
  }
  const last = pairs.at(-1)
  const property = `accepted: [${item}]`
  if (!last) return insert(object.range().start.index + 1, object.text().includes('\n') ? `\n  ${property},` : ` ${property} `)
  const multiline = object.text().includes('\n')
  return insert(last.range().end.index, multiline ? `,\n${indentAt(text, last.range().start.index)}${property}` : `, ${property}`)
}

/**
 * Adds the entry to the ledger of the config file and checks that the config still loads with it;
 * on any failure the file is put back as it was. Refuses a fingerprint the ledger already holds.
 */
export async function acceptDifference(configFile: string, entry: AcceptEntry): Promise<void> {
  const before = await loadConfig(configFile)
  if (before.accepted.some((a) => a.fingerprint === entry.fingerprint)) {
    throw new ParityError('ALREADY_ACCEPTED', `${entry.fingerprint} is already in \`accepted\``, 'nothing to do: it takes effect on the next run')
  }
  const text = readFileSync(before.file, 'utf8')
  const next = /\.ya?ml$/.test(before.file) ? acceptIntoYaml(text, entry) : acceptIntoTypeScript(text, entry)
  writeFileSync(before.file, next)
  try {
    const after = await loadConfig(before.file)
    if (!after.accepted.some((a) => a.fingerprint === entry.fingerprint)) throw new Error('the entry did not read back')
  } catch (e) {
    writeFileSync(before.file, text)
    throw new ParityError(
      'CONFIG_UNEDITABLE',
      `the config did not read back after the edit (${(e as Error).message.split('\n')[0]}); it is unchanged`,
      'add the entry to `accepted:` in the config by hand',
    )
  }
}
