import { closeSync, openSync, readFileSync, readSync, type Stats, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve as resolveAbs } from 'node:path'
import { loadExtractors } from '../extractors/load.js'
import type { Extractor, Manifest } from '../extractors/types.js'
import type { LanguageFamily, ModuleInfo } from '../languages/types.js'
import { familyOf, languageOfFile } from '../languages/parse.js'
import { ParityError } from '../model/errors.js'
import { INVENTORY_SCHEMA, type Diagnostic, type Inventory, type Item } from '../model/inventory.js'
import { compareWithSpecs, isSpecText, readSpecInventory } from '../openapi/openapi.js'
import { callSitesReader } from './call-sites.js'
import { parseModule, processFile, type FileOutcome, type FileTask } from './file.js'
import { capabilityWants, detectCapabilities } from './capabilities.js'
import type { InventoryContext } from './context.js'
import { readDatabaseSchema } from './database.js'
import { ManifestIndex, readManifest } from './manifests.js'
import { readMcpItems } from './mcp.js'
import { detectServices } from './services.js'
import { duration } from '../model/words.js'
import { detectPackages } from './packages.js'
import { processInWorkers } from './pool.js'
import { unsupportedFrameworks } from './unsupported.js'
import { resolveInventory, type FileRecord } from './resolve.js'
import { fsDiagnostic, walkTree } from './walk.js'

export interface ScanOptions {
  /** A source tree, or an OpenAPI 3.x / Swagger 2.0 document. */
  path: string
  /**
   * Modules of user extractors, loaded beside the built-in ones (in each worker too). Give this
   * rather than `extractors` to let the scan use worker threads.
   */
  extractorModules?: string[]
  /** Extractor objects to use instead (the scan then stays in this thread). */
  extractors?: readonly Extractor[]
  /** Worker threads for parsing and extraction; 1 keeps everything in this thread. Default: cores, at most 4. */
  jobs?: number
  /** How `root` is written in the inventory (default: `path` as given). */
  displayRoot?: string
  /** Files larger than this are skipped and counted. Default 2 MB. */
  maxFileBytes?: number
  /** Called after each file, for a progress bar. */
  onProgress?: (done: number, total: number) => void
  /** Follow symlinks that lead outside the tree (default: they are reported, not followed). */
  followExternalLinks?: boolean
  /**
   * Wall-clock budget per file, in ms (default 20 s). In worker threads a file past it is stopped and
   * skipped (`SCAN_FILE_TIMEOUT`); in this thread it cannot be stopped, and is reported (`SCAN_FILE_SLOW`).
   */
  fileBudgetMs?: number
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
/** Wall-clock budget per file: far above what a 2 MB file takes (well under a second). */
export const DEFAULT_FILE_BUDGET_MS = 20_000
/** Below this many files, starting workers costs more than it saves. */
const WORKER_THRESHOLD = 400

function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()))
}

/** Scan a source tree (or an OpenAPI document) into an inventory. Throws only when there is nothing to scan. */
export async function scanPath(options: ScanOptions): Promise<Inventory> {
  const abs = resolveAbs(options.path)
  const root = options.displayRoot ?? options.path
  let stat: Stats
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

async function scanTree(abs: string, root: string, options: ScanOptions): Promise<Inventory> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const walk = walkTree(abs, { followExternalLinks: options.followExternalLinks ?? false })
  const pseudo = walk.diagnostics.find((d) => d.code === 'PSEUDO_FS')
  if (pseudo) throw new ParityError('NOT_A_TREE', pseudo.message, 'pass the folder that holds the server code')
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
  const read: Manifest[] = []
  for (const rel of walk.manifests) {
    const text = readText(abs, rel, diagnostics)
    if (text === undefined) continue
    if (/(^|\/)[tj]sconfig\.json$/.test(rel)) manifests.addTsconfig(rel, text, diagnostics)
    else {
      const entry = readManifest(rel, text, diagnostics)
      if (entry) {
        manifests.add(entry)
        read.push(entry)
      }
    }
  }
  // A web framework no extractor reads: said before any figure, never a silent zero.
  diagnostics.push(...unsupportedFrameworks(read, options.extractors ?? (await loadExtractors(options.extractorModules ?? []))))

  // What confirms a capability in each file, from its manifests: the workers look for it as they read the file.
  const wants = capabilityWants(manifests.all())
  const tasks: FileTask[] = walk.sources.map((rel) => {
    const family = familyOf(languageOfFile(rel)!)
    return { rel, manifest: manifests.nearest(rel, family), wants: wants.indexFor(rel, family) }
  })
  const total = tasks.length
  const jobs = options.jobs ?? defaultJobs()
  const budgetMs = options.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS
  // Workers for large trees; and always for extractors of the user's own, whose code may not end:
  // only a worker can be stopped when a file runs past its budget.
  const useWorkers =
    options.extractorModules !== undefined &&
    import.meta.url.endsWith('.js') &&
    ((jobs > 1 && total >= WORKER_THRESHOLD) || options.extractorModules.length > 0)
  let outcomes: FileOutcome[]
  if (useWorkers) {
    outcomes = await processInWorkers(abs, tasks, maxBytes, options.extractorModules!, jobs, options.onProgress, budgetMs, wants.lists)
  } else {
    const extractors = options.extractors ?? (await loadExtractors(options.extractorModules ?? []))
    outcomes = []
    for (const [i, task] of tasks.entries()) {
      options.onProgress?.(i, total)
      const started = performance.now()
      const outcome = processFile(abs, task, maxBytes, extractors, wants.lists)
      const took = performance.now() - started
      if (took > budgetMs) {
        outcome.diagnostics.push({
          level: 'warn',
          code: 'SCAN_FILE_SLOW',
          file: task.rel,
          message: `${task.rel} took ${duration(took)}, past the ${duration(budgetMs)} budget per file (kept: a scan in one thread cannot stop a file)`,
        })
      }
      outcomes.push(outcome)
      // ast-grep frees syntax trees when the event loop turns: without this, memory grows with the tree.
      if (i % 32 === 31) await new Promise((r) => setImmediate(r))
    }
  }
  const records: FileRecord[] = []
  const frameworks = new Set<string>()
  let parsed = 0
  let lines = 0
  outcomes.forEach((outcome, i) => {
    diagnostics.push(...outcome.diagnostics)
    if (outcome.skipped) skip(outcome.skipped)
    if (outcome.parsed) parsed++
    lines += outcome.lines
    if (outcome.record) {
      records.push(outcome.record)
      for (const f of outcome.record.frameworks) frameworks.add(f)
    } else if (outcome.deferred) {
      const record = deferredRecord(abs, tasks[i]!.rel, outcome.lines, diagnostics, () => parsed++, outcome.deferredModule)
      if (outcome.capabilities) record.capabilities = outcome.capabilities
      records.push(record)
    }
  })
  options.onProgress?.(total, total)

  const manifestFor = (file: string, family: LanguageFamily) => manifests.nearest(file, family)
  const resolved = resolveInventory(records, manifestFor, callSitesReader(abs, manifestFor, diagnostics))
  diagnostics.push(...resolved.diagnostics)
  // Beyond endpoints: MCP tools, what the code does (capabilities), what it deploys (services), what it stores (tables).
  const context: InventoryContext = {
    abs,
    records,
    manifests,
    manifestFiles: walk.manifests,
    schemaFiles: walk.schemaFiles,
    endpoints: resolved.items,
    diagnostics,
  }
  const { services, serviceOfFile } = detectServices(context)
  const extra = [...readMcpItems(context), ...services, ...detectCapabilities(context), ...readDatabaseSchema(context)]
  let items: Item[] = [...resolved.items, ...extra]
  // In a monorepo every item says which service it belongs to: pairing happens within paired services.
  if (services.length > 1) {
    items = items.map((i) => {
      const service = i.kind === 'service' ? undefined : serviceOfFile.get(i.source.file)
      return service ? { ...i, service } : i
    })
  }
  const packages = detectPackages(context, services, serviceOfFile)
  const inventory: Inventory = {
    schema: INVENTORY_SCHEMA,
    root,
    frameworks: [...frameworks].sort(),
    items,
    ...(packages.length ? { packages } : {}),
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

/** A file no extractor wanted, parsed only if a route refers to its constants or exports. */
function deferredRecord(
  abs: string,
  rel: string,
  lines: number,
  diagnostics: Diagnostic[],
  onParse: () => void,
  parsedBefore?: FileOutcome['deferredModule'],
): FileRecord {
  let text: string | undefined
  let module: ModuleInfo | undefined
  const read = () => (text ??= readFileSync(`${abs}/${rel}`, 'utf8'))
  return {
    path: rel,
    family: familyOf(languageOfFile(rel)!),
    facts: { routes: [], mounts: [] },
    frameworks: [],
    lines,
    deferred: { text: read },
    get module(): ModuleInfo {
      if (!module) {
        onParse()
        if (parsedBefore) diagnostics.push(...parsedBefore.diagnostics)
        module = parsedBefore?.module ?? parseModule(rel, read(), diagnostics)?.module ?? { imports: {}, exports: {}, constants: {} }
      }
      return module
    },
  }
}

function readText(abs: string, rel: string, diagnostics: Diagnostic[], limit?: number): string | undefined {
  try {
    if (!limit) return readFileSync(`${abs}/${rel}`, 'utf8')
    const fd = openSync(`${abs}/${rel}`, 'r')
    try {
      const buf = Buffer.alloc(limit)
      return buf.subarray(0, readSync(fd, buf, 0, limit, 0)).toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch (e) {
    diagnostics.push(fsDiagnostic(e, rel))
    return undefined
  }
}
