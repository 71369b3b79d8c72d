import { readFileSync, statSync } from 'node:fs'
import { resolve as resolveAbs } from 'node:path'
import type { SgNode } from '@ast-grep/napi'
import type { ExtractContext, Extractor, FileFacts } from '../extractors/types.js'
import { familyOf, languageOfFile, parseSource } from '../languages/parse.js'
import { languageSupport } from '../languages/support.js'
import { ParityError } from '../model/errors.js'
import { INVENTORY_SCHEMA, type Diagnostic, type Inventory } from '../model/inventory.js'
import { compareWithSpecs, isSpecText, readSpecInventory } from '../openapi/openapi.js'
import { ManifestIndex, readManifest } from './manifests.js'
import { resolveInventory, type FileRecord } from './resolve.js'
import { fsDiagnostic, walkTree } from './walk.js'

export interface ScanOptions {
  /** A source tree, or an OpenAPI 3.x / Swagger 2.0 document. */
  path: string
  /** How `root` is written in the inventory (default: `path` as given). */
  displayRoot?: string
  /** Files larger than this are skipped and counted. Default 2 MB. */
  maxFileBytes?: number
  extractors: readonly Extractor[]
  /** Called after each file, for a progress bar. */
  onProgress?: (done: number, total: number) => void
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
const decoder = new TextDecoder('utf-8', { fatal: true })

/** Scan a source tree (or an OpenAPI document) into an inventory. Throws only when there is nothing to scan. */
export function scanPath(options: ScanOptions): Inventory {
  const abs = resolveAbs(options.path)
  const root = options.displayRoot ?? options.path
  let stat
  try {
    stat = statSync(abs)
  } catch {
    throw new ParityError('PATH_NOT_FOUND', `${options.path} does not exist`, 'pass the folder of the codebase to scan, or an OpenAPI document')
  }
  if (stat.isFile()) {
    if (/\.(ya?ml|json)$/i.test(abs)) return readSpecInventory(abs, root)
    throw new ParityError(
      'NOT_A_TREE',
      `${options.path} is a single file, not a source tree or an OpenAPI document`,
      'pass the folder that holds the code (routes are resolved across files), or an OpenAPI .yaml/.json document',
    )
  }
  return scanTree(abs, root, options)
}

function scanTree(abs: string, root: string, options: ScanOptions): Inventory {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const walk = walkTree(abs)
  const diagnostics: Diagnostic[] = [...walk.diagnostics]
  const skipped = { ...walk.skipped }
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1
  }
  if (walk.sources.length === 0) {
    throw new ParityError(
      'NO_SOURCES',
      `${options.path} holds no TypeScript, JavaScript, Rust, Go or Python source files`,
      'point parity at the folder that holds the server code (ignored folders: node_modules, target, vendor, dist, build)',
    )
  }

  const manifests = new ManifestIndex()
  for (const rel of walk.manifests) {
    const text = readText(abs, rel, diagnostics)
    if (text === undefined) continue
    const entry = readManifest(rel, text, diagnostics)
    if (entry) manifests.add(entry)
  }

  const records: FileRecord[] = []
  const frameworks = new Set<string>()
  let parsed = 0
  let lines = 0
  let done = 0
  const total = walk.sources.length
  for (const rel of walk.sources) {
    options.onProgress?.(done++, total)
    const language = languageOfFile(rel)!
    const family = familyOf(language)
    let buf: Buffer
    try {
      if (statSync(`${abs}/${rel}`).size > maxBytes) {
        skip('too-large')
        continue
      }
      buf = readFileSync(`${abs}/${rel}`)
    } catch (e) {
      diagnostics.push(fsDiagnostic(e, rel))
      continue
    }
    if (buf.subarray(0, 8000).includes(0)) {
      skip('binary')
      continue
    }
    let source: string
    try {
      source = decoder.decode(buf)
    } catch {
      diagnostics.push({ level: 'warn', code: 'NON_UTF8', file: rel, message: `${rel} is not valid UTF-8; not scanned` })
      continue
    }
    if (isMinified(rel, source)) {
      skip('minified')
      continue
    }
    lines += countLines(source)
    const manifest = manifests.nearest(rel, family)
    const active = options.extractors.filter(
      (x) =>
        x.family === family &&
        (manifest.file === null || x.detect(manifest)) &&
        (!x.needles || x.needles.some((n) => source.includes(n))),
    )
    const support = languageSupport[family]
    let rootNode: SgNode
    try {
      rootNode = parseSource(language, source).root()
    } catch (e) {
      diagnostics.push({ level: 'warn', code: 'PARSE_ERROR', file: rel, message: `cannot parse ${rel}: ${(e as Error).message}` })
      continue
    }
    parsed++
    const error = rootNode.find({ rule: { kind: 'ERROR' } })
    if (error) {
      const line = error.range().start.line + 1
      diagnostics.push({ level: 'warn', code: 'PARSE_ERROR', file: rel, line, message: `syntax error in ${rel}:${line}; routes after it may be missed` })
    }
    let module
    try {
      module = support.analyzeModule(rootNode)
    } catch (e) {
      module = { imports: {}, exports: {}, constants: {} }
      diagnostics.push({ level: 'warn', code: 'EXTRACTOR_ERROR', file: rel, message: `module analysis failed: ${(e as Error).message}` })
    }
    const facts: FileFacts = { routes: [], mounts: [], routers: [], settings: {} }
    const routeFrameworks: string[] = []
    for (const extractor of active) {
      const ctx: ExtractContext = {
        diagnose: (d) => diagnostics.push({ level: d.level ?? 'warn', code: d.code, file: rel, ...(d.line ? { line: d.line } : {}), message: d.message, ...(d.known ? { known: d.known } : {}) }),
        pathOf: (node) => support.pathOf(node),
        lineOf: (node) => node.range().start.line + 1,
      }
      try {
        const out = extractor.extract({ path: rel, language, family, source, root: rootNode, module }, ctx)
        const routes = out.routes ?? []
        facts.routes.push(...routes)
        for (const route of routes) routeFrameworks.push(route.framework ?? extractor.id)
        facts.mounts.push(...(out.mounts ?? []))
        facts.routers!.push(...(out.routers ?? []))
        Object.assign(facts.settings!, out.settings)
        if (routes.length) for (const route of routes) frameworks.add(route.framework ?? extractor.id)
      } catch (e) {
        diagnostics.push({ level: 'warn', code: 'EXTRACTOR_ERROR', file: rel, message: `${extractor.id} extractor failed: ${(e as Error).message}` })
      }
    }
    records.push({ path: rel, family, module, facts, frameworks: routeFrameworks })
  }
  options.onProgress?.(total, total)

  const resolved = resolveInventory(records, (file, family) => manifests.nearest(file, family))
  diagnostics.push(...resolved.diagnostics)
  const inventory: Inventory = {
    schema: INVENTORY_SCHEMA,
    root,
    frameworks: [...frameworks].sort(),
    items: resolved.items,
    diagnostics,
    stats: { files: total, parsed, lines, skipped },
  }

  const specs = walk.specs.filter((rel) => {
    const head = readText(abs, rel, [], 4096)
    return head !== undefined && isSpecText(head)
  })
  if (specs.length) compareWithSpecs(inventory, abs, specs)
  inventory.diagnostics.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code))
  return inventory
}

function readText(abs: string, rel: string, diagnostics: Diagnostic[], limit?: number): string | undefined {
  try {
    const buf = readFileSync(`${abs}/${rel}`)
    return (limit ? buf.subarray(0, limit) : buf).toString('utf8')
  } catch (e) {
    diagnostics.push(fsDiagnostic(e, rel))
    return undefined
  }
}

function countLines(source: string): number {
  let n = 1
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) n++
  return n
}

/** A bundle: `.min.js`, or long lines throughout. */
function isMinified(rel: string, source: string): boolean {
  if (/\.min\.(c|m)?js$/.test(rel)) return true
  if (source.length < 4096) return false
  return source.length / countLines(source) > 300
}
