/**
 * The schema facts extractors report for a fixture project, as the scan computes them (walk,
 * manifests, the per-file pass with every built-in extractor), printed one line per step and per
 * column so that a fixture's expected.txt reads as the schema it declares:
 *
 *     create-table users src/schema.ts:5 (drizzle)
 *       users.email varchar not-null src/schema.ts:7
 *     rename-column users.mail -> email migrations/002.js:4 (knex)
 *     ! UNSUPPORTED_FORM src/schema.ts:12
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { builtinExtractors } from '../../src/extractors/registry.js'
import type { SchemaFact } from '../../src/extractors/types.js'
import { familyOf, languageOfFile } from '../../src/languages/parse.js'
import type { Diagnostic } from '../../src/model/inventory.js'
import { processFile } from '../../src/scan/file.js'
import { ManifestIndex, readManifest } from '../../src/scan/manifests.js'
import { DEFAULT_MAX_FILE_BYTES } from '../../src/scan/scan.js'
import { walkTree } from '../../src/scan/walk.js'

export function schemaFactsOf(dir: string): { facts: Array<SchemaFact & { file: string }>; diagnostics: Diagnostic[] } {
  const abs = resolve(dir)
  const walk = walkTree(abs)
  const diagnostics: Diagnostic[] = [...walk.diagnostics]
  const manifests = new ManifestIndex()
  for (const rel of walk.manifests) {
    const entry = readManifest(rel, readFileSync(`${abs}/${rel}`, 'utf8'), diagnostics)
    if (entry) manifests.add(entry)
  }
  const facts: Array<SchemaFact & { file: string }> = []
  for (const rel of [...walk.sources].sort()) {
    const manifest = manifests.nearest(rel, familyOf(languageOfFile(rel)!))
    const outcome = processFile(abs, { rel, manifest }, DEFAULT_MAX_FILE_BYTES, builtinExtractors)
    diagnostics.push(...outcome.diagnostics)
    for (const fact of outcome.record?.facts.schema ?? []) facts.push({ ...fact, file: rel })
  }
  return { facts, diagnostics }
}

/** The expected.txt lines of a fixture: steps, their columns, and warnings. */
export function schemaLines(dir: string): string[] {
  const { facts, diagnostics } = schemaFactsOf(dir)
  const out: string[] = []
  for (const f of facts) {
    const at = `${f.file}:${f.line}`
    const target = f.column ? `${f.table}.${f.column}` : f.table
    out.push(`${f.op} ${target}${f.to ? ` -> ${f.to}` : ''} ${at} (${f.origin})`)
    for (const c of f.columns ?? []) out.push(`  ${f.table}.${c.name} ${c.type} ${c.nullable ? 'null' : 'not-null'} ${f.file}:${c.line}`)
  }
  for (const d of diagnostics) if (d.level !== 'info') out.push(`! ${d.code} ${d.file ?? ''}${d.line ? `:${d.line}` : ''}`)
  return out
}
