/**
 * The per-file half of a scan: read, check, parse once, analyse the module, run the extractors.
 * Its input and output are plain data, so it runs the same in the main thread or in a worker.
 */
import { readFileSync, statSync } from 'node:fs'
import type { SgNode } from '@ast-grep/napi'
import picomatch from 'picomatch'
import type { ExtractContext, Extractor, FileFacts, Manifest } from '../extractors/types.js'
import { familyOf, languageOfFile, parseSource } from '../languages/parse.js'
import { languageSupport } from '../languages/support.js'
import type { ModuleInfo } from '../languages/types.js'
import type { Diagnostic } from '../model/inventory.js'
import { capabilityFileFacts } from './capabilities.js'
import type { CapabilityFileFacts, Want } from './capability-facts.js'
import type { FileRecord } from './resolve.js'
import { isTestFile } from './test-files.js'
import { fsDiagnostic } from './walk.js'

export interface FileTask {
  rel: string
  manifest: Manifest
  /** The file's capability wants: an index into the lists handed to processFile. */
  wants?: number
}

export interface FileOutcome {
  record?: FileRecord
  /** A readable source file that no extractor wants: parsed later only if a route refers to it. */
  deferred?: boolean
  /** A deferred file parsed for its capabilities: its module, and what parsing it said (told when the module is first read). */
  deferredModule?: { module: ModuleInfo; diagnostics: Diagnostic[] }
  /** What a deferred file shows of capabilities (a parsed file's is on its record). */
  capabilities?: CapabilityFileFacts
  diagnostics: Diagnostic[]
  /** Why the file was skipped (too-large, binary, minified), if it was. */
  skipped?: string
  lines: number
  parsed: boolean
}

const decoder = new TextDecoder('utf-8', { fatal: true })

export function processFile(abs: string, task: FileTask, maxBytes: number, extractors: readonly Extractor[], wantLists: readonly Want[][] = []): FileOutcome {
  const { rel, manifest } = task
  const diagnostics: Diagnostic[] = []
  const out: FileOutcome = { diagnostics, lines: 0, parsed: false }
  const language = languageOfFile(rel)!
  const family = familyOf(language)
  let buf: Buffer
  try {
    if (statSync(`${abs}/${rel}`).size > maxBytes) return { ...out, skipped: 'too-large' }
    buf = readFileSync(`${abs}/${rel}`)
  } catch (e) {
    diagnostics.push(fsDiagnostic(e, rel))
    return out
  }
  if (buf.subarray(0, 8000).includes(0)) return { ...out, skipped: 'binary' }
  let source: string
  try {
    source = decoder.decode(buf)
  } catch {
    diagnostics.push({ level: 'warn', code: 'NON_UTF8', file: rel, message: `${rel} is not valid UTF-8; not scanned` })
    return out
  }
  if (isMinified(rel, source)) return { ...out, skipped: 'minified' }
  out.lines = countLines(source)

  // A test's routes and tools are what the test builds, not what the system serves: its constants stay readable.
  if (isTestFile(rel)) return { ...out, deferred: true }
  const active = extractors.filter(
    (x) =>
      x.family === family &&
      // A manifest that declares no dependency at all (a pyproject.toml of tool settings) says nothing of frameworks.
      (manifest.file === null || manifest.dependencies.size === 0 || x.detect(manifest)) &&
      (!x.needles || x.needles.some((n) => source.includes(n))) &&
      (!x.files || filesMatcher(x)(rel)),
  )
  const wants = task.wants === undefined ? [] : (wantLists[task.wants] ?? [])
  if (!active.length) {
    // Parsed only if it mentions a capability; its module then goes to the main thread, which would parse it again.
    let deferredModule: FileOutcome['deferredModule']
    const capabilities = capabilityFileFacts(rel, family, source, wants, () => {
      const own: Diagnostic[] = []
      const parsed = parseModule(rel, source, own)
      if (parsed) deferredModule = { module: parsed.module, diagnostics: own }
      return parsed
    })
    return { ...out, deferred: true, ...(deferredModule ? { deferredModule } : {}), ...(capabilities ? { capabilities } : {}) }
  }
  const parsed = parseModule(rel, source, diagnostics)
  if (!parsed) return out
  out.parsed = true
  const { root, module } = parsed
  const support = languageSupport[family]
  const facts: FileFacts = { routes: [], mounts: [], routers: [], settings: {} }
  const frameworks: string[] = []
  const ctx: ExtractContext = {
    diagnose: (d) =>
      diagnostics.push({
        level: d.level ?? 'warn',
        code: d.code,
        file: rel,
        ...(d.line ? { line: d.line } : {}),
        message: d.message,
        ...(d.known ? { known: d.known } : {}),
      }),
    pathOf: (node) => support.pathOf(node),
    lineOf: (node) => node.range().start.line + 1,
  }
  for (const extractor of active) {
    try {
      const found = extractor.extract({ path: rel, language, family, source, root, module, manifest }, ctx)
      for (const route of found.routes ?? []) {
        facts.routes.push(route)
        frameworks.push(route.framework ?? extractor.id)
      }
      facts.mounts.push(...(found.mounts ?? []))
      facts.routers!.push(...(found.routers ?? []))
      Object.assign(facts.settings!, found.settings)
      if (found.schema?.length) (facts.schema ??= []).push(...found.schema)
      for (const fact of found.mcp ?? []) {
        const framework = fact.framework ?? extractor.id
        ;(facts.mcp ??= []).push({ ...fact, framework })
        frameworks.push(framework)
      }
      if (found.listens?.length) (facts.listens ??= []).push(...found.listens)
      if (found.handlerKinds) facts.handlerKinds = { ...facts.handlerKinds, ...found.handlerKinds }
      if (found.passThrough?.length) facts.passThrough = [...(facts.passThrough ?? []), ...found.passThrough]
      if (found.params) facts.params = { ...facts.params, ...found.params }
      if (found.views) facts.views = { ...facts.views, ...found.views }
    } catch (e) {
      diagnostics.push({ level: 'warn', code: 'EXTRACTOR_ERROR', file: rel, message: `${extractor.id} extractor failed: ${(e as Error).message}` })
    }
  }
  out.record = { path: rel, family, module, facts, frameworks, lines: out.lines }
  const capabilities = capabilityFileFacts(rel, family, source, wants, () => ({ root, module }))
  if (capabilities) out.record.capabilities = capabilities
  return out
}

/** Parse a file and read its module tables; syntax errors and failures become diagnostics. */
export function parseModule(rel: string, source: string, diagnostics: Diagnostic[]): { root: SgNode; module: ModuleInfo } | undefined {
  const language = languageOfFile(rel)!
  let root: SgNode
  try {
    root = parseSource(language, source).root()
  } catch (e) {
    diagnostics.push({ level: 'warn', code: 'PARSE_ERROR', file: rel, message: `cannot parse ${rel}: ${(e as Error).message}` })
    return undefined
  }
  const error = root.find({ rule: { kind: 'ERROR' } })
  if (error) {
    const line = error.range().start.line + 1
    diagnostics.push({ level: 'warn', code: 'PARSE_ERROR', file: rel, line, message: `syntax error in ${rel}:${line}; routes after it may be missed` })
  }
  let module: ModuleInfo
  try {
    module = languageSupport[familyOf(language)].analyzeModule(root)
  } catch (e) {
    module = { imports: {}, exports: {}, constants: {} }
    diagnostics.push({ level: 'warn', code: 'EXTRACTOR_ERROR', file: rel, message: `module analysis failed: ${(e as Error).message}` })
  }
  return { root, module }
}

const matchers = new WeakMap<Extractor, (path: string) => boolean>()
function filesMatcher(x: Extractor): (path: string) => boolean {
  let m = matchers.get(x)
  if (!m) matchers.set(x, (m = picomatch(x.files!, { dot: true })))
  return m
}

export function countLines(source: string): number {
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
