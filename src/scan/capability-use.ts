/**
 * How far a system goes with each capability it imports: does it call it on a path that a route or
 * a job reaches (`used`), call it only in code nothing reaches (`unreached`), only construct a
 * client (`constructed`), or only import it (`imported`)?
 *
 * Calls. In each file that imports a capability's package, the names bound to the package (its
 * imports, and for Rust the crate name, for Go the package name) are followed through the file:
 * a variable, field, parameter or function whose value, type or returned value involves such a
 * name holds the capability too; names a file exports this way follow into the files that import
 * them (and, in Go, into the other files of the package). Each outermost call (with `new`, Rust
 * macros and Python decorators) rooted at such a name is then one of:
 * - a construction: on the package itself, a chain of constructor-like calls (`new Redis()`,
 *   `redis.createClient().connect()`, `redis::Client::open(..)`, `redis.NewClient(..)`,
 *   `OpenAI()`, `Client::builder().build()`); on a held value, only connecting or cloning it
 *   (`client.get_connection()`, `client.connect()`, `rdb.Ping(ctx)`);
 * - a use: any other call (`jwt.sign(..)`, `redis::cmd("GET")`, `rdb.Get(ctx, k)`,
 *   `client.chat.completions.create(..)`, `new Stripe(k).paymentIntents.create(..)`, `info!(..)`),
 *   and a held value handed to a middleware registration (`app.use(limiter)`, `.layer(..)`).
 * The catalog's confirming calls and literals are uses; a WebSocket or SSE endpoint is a use on
 * a route by itself.
 *
 * Reachability, an approximation by files, not by functions: a use is reached when its file is an
 * entry or is imported, directly or through other files, by an entry. Entries are files that
 * declare routes or mounts, files that register jobs (a use or construction of a job-queue or
 * scheduled-jobs package), and main files: Go `func main`, Rust `fn main`, Python `__main__`, and
 * for JS the files a package.json names (`main`, `bin`, `node`/`tsx` in scripts) or the
 * conventional ones (`index`, `main`, `server`, `app`, `worker` at the package root or in `src/`).
 * Imports are the scan's module tables resolved to files (Rust `mod` declarations included); the
 * files of one Go package reach each other. A function in an entry file is counted as reached even
 * when nothing calls it.
 */
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import type { SgNode } from '@ast-grep/napi'
import { importRefersTo, type Ecosystem } from '../capabilities/catalog.js'
import { goPackageName } from '../languages/go.js'
import { languageOfFile, parseSource } from '../languages/parse.js'
import { languageSupport } from '../languages/support.js'
import type { LanguageFamily, ModuleInfo } from '../languages/types.js'
import type { CapabilityUsage, SourceLocation } from '../model/inventory.js'
import { pushTo } from '../model/collections.js'
import type { InventoryContext } from './context.js'
import { moduleResolvers } from './modules/resolvers.js'
import type { ModuleResolveContext } from './modules/types.js'
import type { FileUse, UseWant } from './capability-facts.js'
import type { FileRecord } from './resolve.js'
import { isTestFile } from './test-files.js'

/** Call, construction and other confirming sites per capability id, before reachability. */
export interface UseSites {
  calls: Map<string, SourceLocation[]>
  constructs: Map<string, SourceLocation[]>
}

const ECOSYSTEM: Record<LanguageFamily, Ecosystem> = { js: 'npm', rust: 'cargo', go: 'go', python: 'pypi' }

/** Constructor-like names (compared with the first letter in lower case): `new`, `createClient`, `NewClient`, `from_url`, `builder`... */
const CONSTRUCTOR =
  /^(new|create|make|build|builder|finish|open|connect|dial|init|initialize|setup|configure|default|from|with|client|resource|session|pool|parse_?url|must_?connect|get_?client|get_?logger)([A-Z_0-9]|$)/
/** On a value that holds a client: calls that only connect, check or copy it. */
const CONNECTING = /^(connect|get_?\w*conn(ection)?|clone|duplicate|ping|lock|acquire_?conn(ection)?)$/i
/** Calls that pass a value through (`unwrap`, `.then`, go-redis `.Result()`): the call before them is the one that counts. */
const PASS_THROUGH = new Set([
  'unwrap',
  'expect',
  'unwrap_or_default',
  'into',
  'to_owned',
  'as_ref',
  'ok',
  'map_err',
  'context',
  'with_context',
  'then',
  'catch',
  'finally',
  'Result',
  'Err',
  'Val',
])
/** Registrations that hand a value to the framework (middleware, layers): passing a held value there uses it. */
const REGISTERS = new Set(['use', 'layer', 'route_layer', 'wrap', 'wrap_fn', 'middleware', 'add_middleware', 'Use', 'register'])

const CALL_KINDS = new Set(['call_expression', 'new_expression', 'call'])
const MEMBER_KINDS = new Set(['member_expression', 'attribute', 'selector_expression', 'field_expression'])
const WRAPPER_KINDS = new Set(['await_expression', 'await', 'try_expression', 'parenthesized_expression', 'non_null_expression', 'generic_function'])
const NAME_KINDS = new Set(['identifier', 'type_identifier', 'this', 'self', 'package_identifier'])
const FIELD_KINDS = new Set(['property_identifier', 'field_identifier', 'shorthand_property_identifier'])

/** What a file holds of capabilities: names bound to a package (`module`) or holding a value made from one (`value`). */
interface Taint {
  names: Map<string, { cap: string; kind: 'module' | 'value' }>
  /** Fields, methods and names reached through a namespace (`this.redis`, `s.rdb`, `store.Client`). */
  fields: Map<string, string>
}

interface Link {
  name: string
  called: boolean
  isNew: boolean
}

/** The file a use analysis reads: its path and language family, and its module tables when the scan has them already. */
interface UseFile {
  path: string
  family: LanguageFamily
  module?: ModuleInfo
}

/** How far following held values into importers may go: rounds, and files read again. */
export const USE_BOUNDS = { rounds: 4, files: 4_000 }

/** The use analysis of one file: its bindings, what they flow into, and its call and construction sites. */
function analyseWith(file: UseFile, root: SgNode, wants: UseWant[], inherited: Taint, sites: UseSites): Map<string, string> | undefined {
  const taint = bindingsOf(file, root, wants, inherited)
  if (!taint.names.size && !taint.fields.size) return undefined
  propagate(file.family, root, taint, languageOfFile(file.path))
  // What the file holds itself: what it inherited stays with the file it came from, or every file
  // of a Go package would hand on everything its siblings hold, round after round.
  const values = new Map<string, string>()
  for (const [name, t] of taint.names) if (t.kind === 'value' && !inherited.names.has(name)) values.set(name, t.cap)
  for (const [name, cap] of taint.fields) if (!inherited.fields.has(name)) values.set(name, cap)
  classify(file, root, taint, sites)
  return values
}

/** The first pass over a file that imports a capability's package, as the scan parses it. */
export function analyseFileUse(file: UseFile, root: SgNode, wants: UseWant[]): FileUse | undefined {
  const sites: UseSites = { calls: new Map(), constructs: new Map() }
  const values = analyseWith(file, root, wants, { names: new Map(), fields: new Map() }, sites)
  if (!values) return undefined
  const lines = (m: Map<string, SourceLocation[]>) => [...m].flatMap(([cap, list]) => list.map((l): [string, number] => [cap, l.line]))
  return { wants, held: [...values], calls: lines(sites.calls), constructs: lines(sites.constructs) }
}

/**
 * When following may stop for a capability: once `enough` of its calls are in files that `reached`
 * says a route, a job or a main reaches. `reached` may know fewer entries than the final answer
 * (jobs found later only add to it), so a capability settled by it is surely used, with at least
 * `enough` sites to show.
 */
export interface Settle {
  reached: (file: string) => boolean
  enough: number
}

function settledCapabilities(sites: UseSites, settle: Settle): Set<string> {
  const out = new Set<string>()
  for (const [cap, list] of sites.calls) {
    let n = 0
    for (const loc of list) if (settle.reached(loc.file) && ++n >= settle.enough) break
    if (n >= settle.enough) out.add(cap)
  }
  return out
}

/** What following held values found, and whether it stopped at a bound with files still to read. */
export interface FollowResult extends UseSites {
  /** Set when a bound stopped the analysis: how many importers were left unread. */
  stopped?: { rounds: number; files: number; left: number }
}

/**
 * The call and construction sites of every capability: `add` the first pass of each file that
 * imports a capability's package (run in the scan workers), then `follow` held values into the
 * files that import them, within {@link USE_BOUNDS}. Only importers of a file that holds values are
 * read again: found through {@link ImportIndex}, not by reading the whole tree.
 */
export function useSiteFinder(
  ctx: InventoryContext,
  index: ImportIndex,
  bounds = USE_BOUNDS,
): { add(path: string, use: FileUse): void; follow(settle?: (firstPass: UseSites) => Settle): FollowResult } {
  const sites: UseSites = { calls: new Map(), constructs: new Map() }
  const records = new Map(ctx.records.map((r) => [r.path, r]))
  /** Values each analysed file holds, by name: what importers may inherit. */
  const held = new Map<string, Map<string, string>>()
  const seen = new Map<string, string>()
  const wantsOf = new Map<string, UseWant[]>()
  /** Capabilities already shown used often enough: following their clients further changes nothing that is reported. */
  let settled = new Set<string>()
  /** What an importer would be read again with, unless it names nothing it inherits or was read with the same. */
  const pending = (path: string) => {
    const record = records.get(path)
    if (!record || isTestFile(path) || !languageOfFile(path)) return undefined
    const text = index.textOf(record)
    if (text === undefined) return undefined
    // Only what the file names as a word can reach anything in it (a Go file inherits every name of its package).
    const words = new Set(text.match(/[\p{L}\p{N}_$]+/gu))
    const inherited = inheritedTaint(record, held, index.moduleCtx, records)
    for (const [n, t] of [...inherited.names]) if (!words.has(n) || settled.has(t.cap)) inherited.names.delete(n)
    for (const [n, cap] of [...inherited.fields]) if (!words.has(n) || settled.has(cap)) inherited.fields.delete(n)
    if (!inherited.names.size && !inherited.fields.size) return undefined
    const signature = [...inherited.names.keys(), '|', ...inherited.fields.keys()].sort().join(',')
    if (seen.get(path) === signature) return undefined
    return { record, text, inherited, signature }
  }
  return {
    add(path, use) {
      wantsOf.set(path, use.wants)
      held.set(path, new Map(use.held))
      for (const [cap, line] of use.calls) addSite(sites.calls, cap, { file: path, line })
      for (const [cap, line] of use.constructs) addSite(sites.constructs, cap, { file: path, line })
    },
    follow(settleBy) {
      const settle = settleBy?.(sites)
      let frontier = new Set(held.keys())
      let read = 0
      let round = 0
      for (; round < bounds.rounds && frontier.size; round++) {
        if (settle) settled = settledCapabilities(sites, settle)
        const next = new Set<string>()
        const importers = new Set<string>()
        for (const f of frontier) for (const i of index.importersOf(f)) importers.add(i)
        const queue = [...importers].sort()
        for (const [k, path] of queue.entries()) {
          if (read >= bounds.files) return { ...sites, stopped: { rounds: round, files: read, left: queue.slice(k).filter((p) => pending(p)).length } }
          const todo = pending(path)
          if (!todo) continue
          seen.set(path, todo.signature)
          read++
          const before = held.get(path)?.size ?? 0
          // A file analysed before with its own imports is analysed again with what it inherits: its sites are kept once by line.
          const wants = (wantsOf.get(path) ?? []).filter((w) => !settled.has(w.cap))
          // Its module from the tree just parsed: a deferred record's own would parse the file a second time.
          const values = analyseWith({ path, family: todo.record.family }, parseSource(languageOfFile(path)!, todo.text).root(), wants, todo.inherited, sites)
          if (values) held.set(path, values)
          if ((held.get(path)?.size ?? 0) > before) next.add(path)
        }
        frontier = next
      }
      if (frontier.size) {
        const left = [...new Set([...frontier].flatMap((f) => index.importersOf(f)))].filter((p) => pending(p)).length
        if (left) return { ...sites, stopped: { rounds: round, files: read, left } }
      }
      return sites
    },
  }
}

/**
 * Which files import which, found lazily and once: a file imports another only if its text names the
 * other's stem (a file's name, or its folder's for `index`, `mod`, `__init__` and Go packages),
 * confirmed by resolving its imports; the files of one Go package reach each other.
 */
export interface ImportIndex {
  importersOf(file: string): string[]
  textOf(r: FileRecord): string | undefined
  moduleCtx: ModuleResolveContext
}

export function importIndex(ctx: InventoryContext): ImportIndex {
  const records = new Map(ctx.records.map((r) => [r.path, r]))
  const moduleCtx = resolveContext(ctx)
  const stemOf = (file: string) => {
    const base = posix.basename(file).replace(/\.[^.]+$/, '')
    return ['index', 'mod', '__init__'].includes(base) || records.get(file)?.family === 'go' ? posix.basename(posix.dirname(file)) : base
  }
  // Which files name which stems, read once.
  let naming: Map<string, FileRecord[]> | undefined
  const filesNaming = (stem: string): FileRecord[] => {
    if (!naming) {
      naming = new Map()
      const stems = new Set(ctx.records.map((r) => stemOf(r.path)))
      for (const r of ctx.records) {
        if (isTestFile(r.path)) continue
        for (const w of importWords(r.family, textOf(ctx, r) ?? '')) if (stems.has(w)) pushTo(naming, w, r)
      }
    }
    return naming.get(stem) ?? []
  }
  const cache = new Map<string, string[]>()
  return {
    moduleCtx,
    textOf: (r) => textOf(ctx, r),
    importersOf(file) {
      let list = cache.get(file)
      if (list) return list
      list = []
      const r = records.get(file)
      if (r?.family === 'go') for (const f of moduleCtx.filesInDir(posix.dirname(file))) if (f !== file && f.endsWith('.go') && !isTestFile(f)) list.push(f)
      for (const other of filesNaming(stemOf(file))) {
        if (other.path === file || other.family !== r?.family || list.includes(other.path)) continue
        const module = moduleOf(other)
        if (!module) continue
        // Python `from app import ai` names the module `app.ai`.
        const specs = Object.values(module.imports).flatMap((imp) =>
          other.family === 'python' && imp.name !== '*' ? [imp.module, `${imp.module}.${imp.name}`] : [imp.module],
        )
        if (specs.some((spec) => moduleResolvers[other.family](spec, other.path, moduleCtx).includes(file))) list.push(other.path)
      }
      cache.set(file, list)
      return list
    },
  }
}

/**
 * The words of the text where a file can name what it imports: JS and TS string literals (every
 * import, re-export, `require` and `import()` names its module in one), Go import declarations,
 * Rust `use` and `mod` items, Python import statements. A file whose import text does not name a
 * stem cannot import that file, so it is never parsed to find out. A dotted name is kept whole and
 * in its runs (`./redis.service.js` gives `redis.service`; `app.ai` gives `ai`).
 */
export function importWords(family: LanguageFamily, text: string): Set<string> {
  const parts: string[] =
    family === 'js'
      ? (text.match(/'[^'\n]*'|"[^"\n]*"|`[^`]*`/g) ?? [])
      : family === 'go'
        ? (text.match(/\bimport\s*(?:\([^)]*\)|[^\n]*)/g) ?? [])
        : family === 'rust'
          ? (text.match(/\buse\s[^;]*;|\bmod\s+\w+/g) ?? [])
          : (text.match(/^[ \t]*(?:from\s+[\w.]+\s+import\s*(?:\([^)]*\)|[^\n]*)|import\s+[^\n]*)/gm) ?? [])
  const words = new Set<string>()
  for (const part of parts) {
    for (const dotted of part.match(/[\w-]+(?:\.[\w-]+)*/g) ?? []) {
      words.add(dotted)
      const runs = dotted.split('.')
      if (runs.length > 1)
        for (let i = 0; i < runs.length; i++) for (let j = i + 1; j <= Math.min(runs.length, i + 4); j++) words.add(runs.slice(i, j).join('.'))
    }
  }
  return words
}

/** The values of other files that `record` imports by name, or reaches as a namespace or a Go package. */
function inheritedTaint(record: FileRecord, held: Map<string, Map<string, string>>, moduleCtx: ModuleResolveContext, records: Map<string, FileRecord>): Taint {
  const taint: Taint = { names: new Map(), fields: new Map() }
  const module = moduleOf(record)
  if (!module) return taint
  for (const [local, imp] of Object.entries(module.imports)) {
    const files = moduleResolvers[record.family](imp.module, record.path, moduleCtx)
    for (const file of files) {
      const values = held.get(file)
      if (!values || file === record.path) continue
      if (imp.name === '*') for (const [n, cap] of values) taint.fields.set(n, cap)
      else {
        const exported = imp.name === 'default' ? moduleOf(records.get(file))?.exports.default : imp.name
        const cap = exported ? values.get(exported) : undefined
        if (cap) taint.names.set(local, { cap, kind: 'value' })
      }
    }
  }
  // The other files of a Go package share its top-level names.
  if (record.family === 'go') {
    for (const file of moduleCtx.filesInDir(posix.dirname(record.path))) {
      if (file === record.path) continue
      for (const [n, cap] of held.get(file) ?? []) taint.names.set(n, { cap, kind: 'value' })
    }
  }
  return taint
}

/** The names a file binds to capability packages, with what it inherits. */
function bindingsOf(record: UseFile, root: SgNode, wants: UseWant[], inherited: Taint): Taint {
  const taint: Taint = { names: new Map(inherited.names), fields: new Map(inherited.fields) }
  if (!wants.length) return taint
  const ecosystem = ECOSYSTEM[record.family]
  const module = record.module ?? languageSupport[record.family].analyzeModule(root)
  const bind = (name: string, cap: string) => {
    if (name && !taint.names.has(name)) taint.names.set(name, { cap, kind: 'module' })
  }
  // A Rust path names its crate first (`tower_governor::governor`).
  const refers = (module: string, target: string) => importRefersTo(ecosystem, record.family === 'rust' ? module.split('::')[0]! : module, target)
  for (const [local, imp] of Object.entries(module.imports)) {
    // The most specific package wins: `celery.schedules` is scheduled jobs before `celery` is a job queue.
    const w = wants
      .filter((x) => refers(imp.module, x.target) || (imp.name === '*' && refers(local, x.target)))
      .sort((a, b) => b.target.length - a.target.length)[0]
    if (!w) continue
    // Python `import google.genai` binds `google`; Go binds the package's name, which often drops a `go-` mark.
    const name = record.family === 'python' ? local.split('.')[0]! : local
    bind(name, w.cap)
    if (record.family === 'go') for (const v of goNames(imp.module, name)) bind(v, w.cap)
  }
  if (record.family === 'rust') for (const w of wants) bind(w.target, w.cap)
  if (record.family === 'js') {
    // `const { default: Stripe } = await import('stripe')`, `const x = require('x')` inside a function: the declared names.
    for (const call of root.findAll({
      rule: { kind: 'call_expression', has: { field: 'function', any: [{ kind: 'import' }, { kind: 'identifier', regex: '^require$' }] } },
    })) {
      const spec = call.field('arguments')?.child(1)
      if (!spec || kindOf(spec) !== 'string') continue
      const w = wants.find((x) => importRefersTo(ecosystem, spec.text().slice(1, -1), x.target))
      if (!w) continue
      let up = call.parent()
      while (up && WRAPPER_KINDS.has(kindOf(up))) up = up.parent()
      if (up && kindOf(up) === 'variable_declarator') for (const n of declaredNames(up.field('name'))) bind(n, w.cap)
    }
  }
  return taint
}

/** `github.com/redis/go-redis/v9` is package `redis`: the name and its forms without a `go-`/`-go` mark. */
function goNames(path: string, local: string): string[] {
  const name = goPackageName(path)
  if (local !== name) return []
  return [name.replace(/^go-/, ''), name.replace(/-go$/, ''), name.replace(/[-.]/g, '')].filter((v) => v !== name)
}

/** Declarations, assignments, parameters, fields and functions: a name whose value, type or result involves a held name holds it. */
function propagate(family: LanguageFamily, root: SgNode, taint: Taint, grammar?: string): void {
  /** Each declaration's parts and the text of its sources, read once; declarations already applied are not read again. */
  const memo = new Map<number, { targets: Array<SgNode | null>; sources: Array<{ node: SgNode; text: string; words: Set<string>; returned?: boolean }> }>()
  const applied = new Set<number>()
  for (let round = 0; round < 3; round++) {
    let grew = false
    // Only declarations whose text holds a held name can take it on: ast-grep finds them without a walk in JS.
    for (const d of findAllOf(root, DECLARATION_KINDS[family], grammar, heldPattern(taint))) {
      const id = d.id()
      if (applied.has(id)) continue
      let parts = memo.get(id)
      if (!parts) {
        const { targets, sources, returned = [] } = declarationParts(family, d)
        const read = (node: SgNode, isReturned: boolean) => {
          const text = node.text()
          return { node, text, words: new Set(text.match(/[\p{L}\p{N}_$]+/gu)), ...(isReturned ? { returned: true } : {}) }
        }
        parts = { targets, sources: [...sources.flatMap((node) => (node ? [read(node, false)] : [])), ...returned.map((node) => read(node, true))] }
        memo.set(id, parts)
      }
      const { targets, sources } = parts
      let cap: string | undefined
      for (const s of sources) {
        // A returned call counts when it is made on a held value (uses are left out below) or constructs
        // something around one (`new WrappedDatabase(new Database(f))`, `Store::new(pool)`), not when it computes with one.
        if (s.returned && CALL_KINDS.has(kindOf(s.node))) {
          const links = chainOf(s.node)
          const last = links.filter((l) => l.called).at(-1)
          const constructs = !!last && (last.isNew || CONSTRUCTOR.test(lowerFirst(last.name)) || (family !== 'go' && isPascal(last.name)))
          if (!heldAt(links, taint) && !constructs) continue
        }
        if (!isUseResult(family, s.node, taint) && (cap = involved(s.node, taint, grammar, s))) break
      }
      if (!cap) continue
      // Taking on again what it took on adds nothing: names are only ever added.
      applied.add(id)
      for (const t of targets) {
        if (!t) continue
        if (MEMBER_KINDS.has(kindOf(t))) {
          const field = memberName(t)
          if (field && !taint.fields.has(field)) {
            taint.fields.set(field, cap)
            grew = true
          }
          continue
        }
        // A field is reached only as `x.name`; a method both ways.
        const field = kindOf(d).includes('field') || FIELD_KINDS.has(kindOf(t))
        const method = kindOf(d).includes('method')
        for (const n of declaredNames(t)) {
          // `client, err := redis.Dial(..)`: the error, the blank and the ok flag hold no client.
          if (NEVER_HELD.has(n)) continue
          if (field ? taint.fields.has(n) : taint.names.has(n)) continue
          if (!field) taint.names.set(n, { cap, kind: 'value' })
          if (field || method) taint.fields.set(n, cap)
          grew = true
        }
      }
    }
    if (!grew) return
  }
}

/** Names a multi-value declaration binds beside the value: never a capability's. */
const NEVER_HELD = new Set(['_', 'err', 'error', 'ok', 'e', 'ctx', 'self', 'this'])

const DECLARATION_KINDS: Record<LanguageFamily, string[]> = {
  js: [
    'variable_declarator',
    'assignment_expression',
    'public_field_definition',
    'field_definition',
    'required_parameter',
    'optional_parameter',
    'function_declaration',
    'method_definition',
  ],
  python: ['assignment', 'typed_parameter', 'typed_default_parameter', 'function_definition', 'as_pattern'],
  go: ['short_var_declaration', 'assignment_statement', 'var_spec', 'parameter_declaration', 'field_declaration', 'function_declaration', 'method_declaration'],
  rust: ['let_declaration', 'assignment_expression', 'parameter', 'field_declaration', 'static_item', 'const_item', 'function_item', 'field_initializer'],
}

/** Wrappers a value passes through unchanged: `await x`, `(x)`, Rust `x?`, a Go list of one. */
const WRAPPERS = new Set(['await_expression', 'parenthesized_expression', 'try_expression', 'expression_list', 'return_statement', 'return_expression'])

/**
 * Whether a source is what a use returns (`res := rdb.Get(ctx, k)`, `await redis.get(k)`): data,
 * not the client, so what it is assigned to holds nothing; following it would taint every value
 * computed near a client.
 */
function isUseResult(family: LanguageFamily, source: SgNode, taint: Taint): boolean {
  let node: SgNode | undefined = source
  while (node && WRAPPERS.has(kindOf(node))) node = node.children().find((c) => c.isNamed())
  if (!node || !CALL_KINDS.has(kindOf(node))) return false
  const links = chainOf(node)
  const held = heldAt(links, taint)
  return !!held && judge(family, links.slice(held.index), held.kind) === 'use'
}

/** What a declaration names (targets) and what decides whether they hold a capability (sources). */
function declarationParts(family: LanguageFamily, d: SgNode): { targets: Array<SgNode | null>; sources: Array<SgNode | null>; returned?: SgNode[] } {
  const k = kindOf(d)
  const f = (name: string) => d.field(name)
  if (k.startsWith('function') || k.startsWith('method')) {
    // A function returning a held value: its type says so, or a `return` of one does.
    const returned = d.findAll({ rule: { kind: family === 'rust' ? 'return_expression' : 'return_statement' } })
    const body = f('body')
    // A Rust function's value is its body's last expression.
    const tail =
      family === 'rust' && body
        ? body
            .children()
            .filter((c) => c.isNamed())
            .at(-1)
        : undefined
    // What it returns counts only when it is the held value itself, made or passed through (`Ok(client)`,
    // `return new Redis()`), not anything computed from one (`Ok(search(index, q))`): else every
    // function that touches a client would hold it, and so would every caller.
    const values = [...returned, ...(tail && kindOf(tail) !== 'expression_statement' ? [tail] : [])].map(returnedValue)
    return { targets: [f('name')], sources: [f('return_type') ?? f('result')], returned: values.filter((v): v is SgNode => v !== null && isHeldShape(v)) }
  }
  if (k === 'variable_declarator' || k === 'let_declaration') return { targets: [f('name') ?? f('pattern')], sources: [f('value'), f('type')] }
  if (k === 'assignment_expression' || k === 'assignment' || k === 'short_var_declaration' || k === 'assignment_statement')
    return { targets: [f('left')], sources: [f('right'), f('type')] }
  if (k === 'public_field_definition' || k === 'field_definition') return { targets: [f('name') ?? f('property')], sources: [f('value'), f('type')] }
  if (k === 'required_parameter' || k === 'optional_parameter') return { targets: [f('pattern')], sources: [f('type')] }
  if (k === 'typed_parameter' || k === 'typed_default_parameter')
    return { targets: [d.children().find((c) => kindOf(c) === 'identifier') ?? f('name')], sources: [f('type')] }
  if (k === 'var_spec' || k === 'static_item' || k === 'const_item') return { targets: [f('name')], sources: [f('value'), f('type')] }
  // Python `with smtplib.SMTP(host) as smtp`.
  if (k === 'as_pattern')
    return { targets: [d.children().find((c) => kindOf(c) === 'as_pattern_target') ?? null], sources: [d.children().find((c) => c.isNamed()) ?? null] }
  if (k === 'parameter_declaration') return { targets: [f('name')], sources: [f('type')] }
  if (k === 'parameter') return { targets: [f('pattern')], sources: [f('type')] }
  if (k === 'field_declaration') return { targets: [f('name')], sources: [f('type')] }
  // Rust `AppState { redis: client }`: the field holds what it is given.
  if (k === 'field_initializer') return { targets: [f('field') ?? f('name')], sources: [f('value')] }
  return { targets: [], sources: [] }
}

/** Wrappers a returned value passes through unchanged, as calls of one argument. */
const RETURN_WRAPPERS = /^(Ok|Some|Box::new|Arc::new|Rc::new|Mutex::new|RwLock::new|RefCell::new|Promise\.resolve)$/

/** The value a `return` or a tail expression gives, through `await`, `?`, parentheses and `Ok(..)`-like wrappers. */
function returnedValue(node: SgNode): SgNode | null {
  let cur: SgNode | null = node
  for (let depth = 0; cur && depth < 8; depth++) {
    const k = kindOf(cur)
    if (WRAPPERS.has(k) || k === 'expression_statement') cur = cur.children().find((c) => c.isNamed()) ?? null
    else if (CALL_KINDS.has(k) && RETURN_WRAPPERS.test(calleeOf(cur)?.text() ?? '')) {
      const args: SgNode[] =
        cur
          .field('arguments')
          ?.children()
          .filter((c) => c.isNamed()) ?? []
      cur = args.length === 1 ? args[0]! : null
    } else return cur
  }
  return cur
}

/** Whether a returned value can be a held value itself: a name, a field, a call or construction, a struct or object built with one. */
function isHeldShape(node: SgNode): boolean {
  const k = kindOf(node)
  return (
    NAME_KINDS.has(k) ||
    FIELD_KINDS.has(k) ||
    MEMBER_KINDS.has(k) ||
    CALL_KINDS.has(k) ||
    k === 'scoped_identifier' ||
    k === 'struct_expression' ||
    k === 'object' ||
    k === 'composite_literal' ||
    k === 'unary_expression' ||
    k === 'reference_expression'
  )
}

/** The names a pattern declares: an identifier, or the identifiers of a destructuring or a Go list. */
function declaredNames(node: SgNode | null): string[] {
  if (!node) return []
  const k = kindOf(node)
  if (NAME_KINDS.has(k) || FIELD_KINDS.has(k)) return [node.text()]
  if (k === 'expression_list' || k === 'pattern_list') {
    const first = node.children().find((c) => c.isNamed())
    return first ? declaredNames(first) : []
  }
  return findAllOf(node, ['identifier', 'shorthand_property_identifier_pattern'])
    .filter((n) => {
      const p = n.parent()
      return !(p && kindOf(p) === 'pair_pattern' && p.field('key')?.id() === n.id())
    })
    .map((n) => n.text())
}

/** The capability a held name in `node` stands for, if any. */
function involved(node: SgNode, taint: Taint, grammar?: string, known?: { text: string; words: Set<string> }): string | undefined {
  // One read of the text first: a subtree that names no held value as a word is not searched.
  const text = known?.text ?? node.text()
  const held = [...taint.names.keys(), ...taint.fields.keys()].filter((n) => text.includes(n))
  if (!held.length) return undefined
  // A substring is not yet a name (`r` in `return`): the words decide.
  const words = known?.words ?? new Set(text.match(/[\p{L}\p{N}_$]+/gu))
  const named = held.filter((n) => words.has(n))
  if (!named.length) return undefined
  // The names and fields spelt as one of them, found by ast-grep; the last in the text decides, as a
  // walk from the end would (a Python f-string's interpolations are text, not names).
  const kinds = grammar ? validKindsOf(node, NAME_AND_FIELD_KINDS, grammar) : NAME_AND_FIELD_KINDS
  const hits = node.findAll({
    rule: {
      any: kinds.map((kind) => ({ kind })),
      regex: `^(?:${named.map(escapeRegex).join('|')})$`,
      ...(grammar === 'python' ? { not: { inside: { kind: 'string', stopBy: 'end' as const } } } : {}),
    },
  })
  for (let i = hits.length - 1; i >= 0; i--) {
    const n = hits[i]!
    const k = kindOf(n)
    if (NAME_KINDS.has(k) && !isMemberProperty(n)) {
      const t = taint.names.get(n.text())
      if (t) return t.cap
    } else if (FIELD_KINDS.has(k) || (k === 'identifier' && isMemberProperty(n))) {
      const cap = taint.fields.get(n.text())
      if (cap) return cap
    }
  }
  return undefined
}

const NAME_AND_FIELD_KINDS = [...NAME_KINDS, ...FIELD_KINDS]
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A site of a capability, kept once per file and line. */
function addSite(map: Map<string, SourceLocation[]>, cap: string, loc: SourceLocation): void {
  const list = map.get(cap)
  if (!list?.some((l) => l.file === loc.file && l.line === loc.line)) pushTo(map, cap, loc)
}

/** Whether an identifier is the property of a member access (`x.redis`), not a name of its own. */
function isMemberProperty(n: SgNode): boolean {
  const p = n.parent()
  if (!p || !MEMBER_KINDS.has(kindOf(p))) return false
  const prop = p.field('property') ?? p.field('attribute') ?? p.field('field')
  return prop?.id() === n.id()
}

function memberName(node: SgNode): string | undefined {
  return (node.field('property') ?? node.field('attribute') ?? node.field('field'))?.text()
}

function calleeOf(call: SgNode): SgNode | null {
  return kindOf(call) === 'new_expression' ? call.field('constructor') : call.field('function')
}

/** A call's chain from its root outward: `this.client.chat.completions.create(..)` is this, client, chat, completions, create(). */
function chainOf(call: SgNode): Link[] {
  const rev: Link[] = []
  let called = true
  let isNew = kindOf(call) === 'new_expression'
  let cur: SgNode | null = calleeOf(call)
  while (cur) {
    const k = kindOf(cur)
    if (MEMBER_KINDS.has(k)) {
      rev.push({ name: memberName(cur) ?? '', called, isNew })
      called = isNew = false
      cur = cur.field('object') ?? cur.field('operand') ?? cur.field('value')
    } else if (k === 'scoped_identifier') {
      rev.push({ name: cur.field('name')?.text() ?? '', called, isNew })
      called = isNew = false
      cur = cur.field('path')
    } else if (CALL_KINDS.has(k)) {
      called = true
      isNew = k === 'new_expression'
      cur = calleeOf(cur)
    } else if (WRAPPER_KINDS.has(k)) {
      cur = k === 'generic_function' ? cur.field('function') : (cur.children().find((c) => c.isNamed()) ?? null)
    } else {
      if (NAME_KINDS.has(k) || k === 'crate') rev.push({ name: cur.text(), called, isNew })
      break
    }
  }
  return rev.reverse()
}

/** The member access a call's result is reached into (`f().x`), through `await` or `?`; undefined when it is not. */
function memberOfResult(call: SgNode): SgNode | undefined {
  let up = call.parent()
  let child = call
  while (up && WRAPPER_KINDS.has(kindOf(up))) {
    child = up
    up = up.parent()
  }
  if (!up || !MEMBER_KINDS.has(kindOf(up))) return undefined
  return (up.field('object') ?? up.field('operand') ?? up.field('value'))?.id() === child.id() ? up : undefined
}

/** Whether a call's result is reached into (`f().x`), through `await` or `?`. */
function isObjectOfMember(call: SgNode): boolean {
  return memberOfResult(call) !== undefined
}

/** Whether a call is a link inside a longer chain (`a.b()` in `a.b().c()`): only the outermost call is judged. */
function isInnerLink(call: SgNode): boolean {
  const up = memberOfResult(call)
  if (!up) return false
  const outer = up.parent()
  return !!outer && CALL_KINDS.has(kindOf(outer)) && calleeOf(outer)?.id() === up.id()
}

const kindOf = (n: SgNode): string => String(n.kind())

/** By grammar and kind list: the kinds that grammar has, for one search of them all. */
const validKinds = new Map<string, string[]>()

/** The nodes of any of `kinds` under `root`; a kind the language's grammar lacks (`new_expression` in Python) finds nothing. */
function findAllOf(root: SgNode, kinds: readonly string[], grammar?: string, regex?: string): SgNode[] {
  const valid = validKindsOf(root, kinds, grammar)
  if (!valid.length) return []
  // One walk of the tree for every kind, in document order.
  return root.findAll({ rule: { any: valid.map((kind) => ({ kind })), ...(regex === undefined ? {} : { regex }) } })
}

/** The kinds of `kinds` that the node's grammar has, remembered by grammar. */
function validKindsOf(node: SgNode, kinds: readonly string[], grammar?: string): string[] {
  const key = grammar && `${grammar}:${kinds.join(',')}`
  let valid = key ? validKinds.get(key) : undefined
  if (!valid) {
    valid = kinds.filter((kind) => {
      try {
        node.find({ rule: { kind } })
        return true
      } catch {
        // Not a kind of this grammar.
        return false
      }
    })
    if (key) validKinds.set(key, valid)
  }
  return valid
}

/**
 * A regular expression that matches any text holding a held name (as a substring: a superset of the
 * nodes that name one); none past a size where compiling it would cost more than it saves.
 */
function heldPattern(taint: Taint): string | undefined {
  const names = new Set([...taint.names.keys(), ...taint.fields.keys()])
  const pattern = [...names].map(escapeRegex).join('|')
  return pattern.length > 20_000 ? undefined : pattern || '$^'
}
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)
const isPascal = (s: string) => /^[A-Z]/.test(s)

/** Sort each outermost call rooted at a held name into a use or a construction. */
function classify(record: UseFile, root: SgNode, taint: Taint, sites: UseSites): void {
  const at = (node: SgNode): SourceLocation => ({ file: record.path, line: node.range().start.line + 1 })
  const heldText = heldPattern(taint)
  const calls = findAllOf(root, [...CALL_KINDS], languageOfFile(record.path), heldText)
  for (const call of calls) {
    if (isInnerLink(call)) continue
    const links = chainOf(call)
    const held = heldAt(links, taint)
    if (held) {
      // Reaching into what a call returns (`BeautifulSoup(html).title`) uses it.
      const use = judge(record.family, links.slice(held.index), held.kind) === 'use' || isObjectOfMember(call)
      addSite(use ? sites.calls : sites.constructs, held.cap, at(call))
      continue
    }
    // A held value handed to a middleware registration.
    const last = links.at(-1)
    if (last && REGISTERS.has(last.name)) {
      const cap = involved(call.field('arguments') ?? call, taint, languageOfFile(record.path))
      if (cap) addSite(sites.calls, cap, at(call))
    }
  }
  if (record.family === 'rust') {
    for (const mac of root.findAll({ rule: { kind: 'macro_invocation', ...(heldText ? { regex: heldText } : {}) } })) {
      const name = mac.field('macro')
      if (!name) continue
      const first = kindOf(name) === 'scoped_identifier' ? name.text().split('::')[0]! : name.text()
      const t = taint.names.get(first)
      if (t?.kind === 'module') addSite(sites.calls, t.cap, at(mac))
    }
    // `GovernorLayer { config }`: a struct of the package, built.
    for (const s of root.findAll({ rule: { kind: 'struct_expression', ...(heldText ? { regex: heldText } : {}) } })) {
      const first = (s.field('name')?.text() ?? '').split('::')[0]!
      const t = taint.names.get(first)
      if (t?.kind === 'module') addSite(sites.constructs, t.cap, at(s))
    }
  }
  if (record.family === 'python') {
    for (const dec of root.findAll({ rule: { kind: 'decorator', ...(heldText ? { regex: heldText } : {}) } })) {
      const expr = dec.children().find((c) => c.isNamed())
      if (!expr || CALL_KINDS.has(kindOf(expr))) continue
      const links: Link[] = []
      let cur: SgNode | null = expr
      while (cur && kindOf(cur) === 'attribute') {
        links.unshift({ name: memberName(cur) ?? '', called: false, isNew: false })
        cur = cur.field('object')
      }
      if (cur && kindOf(cur) === 'identifier') links.unshift({ name: cur.text(), called: false, isNew: false })
      const held = heldAt(links, taint)
      if (held) addSite(sites.calls, held.cap, at(dec))
    }
  }
}

/** Where a chain reaches a held name: its root, or a held field or namespace member further on. */
function heldAt(links: Link[], taint: Taint): { index: number; cap: string; kind: 'module' | 'value' } | undefined {
  const first = links[0]
  const t = first ? taint.names.get(first.name) : undefined
  if (t) return { index: 0, cap: t.cap, kind: t.kind }
  for (let i = 1; i < links.length; i++) {
    const cap = taint.fields.get(links[i]!.name)
    if (cap) return { index: i, cap, kind: 'value' }
  }
  return undefined
}

/** A use or a construction, from the chain that starts at the held name. */
function judge(family: LanguageFamily, chain: Link[], kind: 'module' | 'value'): 'use' | 'construct' {
  let end = chain.length
  while (end > 1 && PASS_THROUGH.has(chain[end - 1]!.name)) end--
  const links = chain.slice(0, end)
  const called = links.filter((l) => l.called)
  if (kind === 'value') {
    // The held value called as a function (`getRedis()`) makes it again; a call on it uses it, unless it only connects.
    const last = called.at(-1)
    if (!last || (called.length === 1 && last === links[0])) return 'construct'
    return CONNECTING.test(last.name) ? 'construct' : 'use'
  }
  const ctor = (l: Link) => l.isNew || CONSTRUCTOR.test(lowerFirst(l.name)) || (family !== 'go' && isPascal(l.name))
  const firstCall = links.findIndex((l) => l.called)
  if (firstCall === -1) return 'use'
  // After the first call, a property that is not called (`new Stripe(k).paymentIntents.create`) reaches into a resource: a use.
  const wandered = links.slice(firstCall).some((l) => !l.called)
  return !wandered && ctor(called[0]!) && ctor(called.at(-1)!) ? 'construct' : 'use'
}

/**
 * Files reached from an entry (a route, a job, a main), by following imports backwards from the
 * file of a use: see the module comment.
 */
export function reachability(ctx: InventoryContext, jobFiles: ReadonlySet<string>, index: ImportIndex): (file: string) => boolean {
  const records = new Map(ctx.records.map((r) => [r.path, r]))
  const routeFiles = new Set(ctx.endpoints.map((e) => e.source.file))
  for (const r of ctx.records) if (r.facts.routes.length || r.facts.mounts.length) routeFiles.add(r.path)
  const jsEntries = jsEntryFiles(ctx)
  const entry = (path: string): boolean => {
    if (routeFiles.has(path) || jobFiles.has(path) || jsEntries.has(path)) return true
    const r = records.get(path)
    if (!r) return false
    const text = index.textOf(r) ?? ''
    if (r.family === 'go') return /\bfunc main\(\)/.test(text)
    if (r.family === 'rust') return /\bfn main\s*\(/.test(text)
    if (r.family === 'python') return /__name__\s*==\s*['"]__main__['"]/.test(text) || posix.basename(path) === '__main__.py'
    return false
  }
  const importersOf = (file: string) => index.importersOf(file)
  const memo = new Map<string, boolean>()
  return (file: string) => {
    const cached = memo.get(file)
    if (cached !== undefined) return cached
    const visited = new Set([file])
    const queue = [file]
    let found = false
    while (queue.length && !found) {
      const f = queue.shift()!
      if (memo.get(f) || entry(f)) found = true
      else
        for (const i of importersOf(f)) {
          if (visited.has(i)) continue
          visited.add(i)
          queue.push(i)
        }
    }
    memo.set(file, found)
    return found
  }
}

/** JS files a package.json starts (`main`, `bin`, `node x`/`tsx x` in scripts) and the conventional entry files. */
function jsEntryFiles(ctx: InventoryContext): Set<string> {
  const files = new Set(ctx.records.map((r) => r.path))
  const out = new Set<string>()
  const dirs = new Set<string>([''])
  for (const m of ctx.manifestFiles) if (posix.basename(m) === 'package.json') dirs.add(posix.dirname(m) === '.' ? '' : posix.dirname(m))
  const join = (dir: string, rel: string) => posix.normalize(dir ? `${dir}/${rel}` : rel).replace(/^\.\//, '')
  const addFile = (dir: string, rel: string) => {
    const base = join(dir, rel).replace(/\.(c|m)?(j|t)sx?$/, '')
    // A built path (`dist/index.js`) stands for its source.
    for (const stemmed of [base, base.replace(/^(.*\/)?(dist|build|lib)\//, '$1src/')])
      for (const ext of ['.ts', '.js', '.mts', '.mjs', '.cjs', '.cts', '.tsx', '/index.ts', '/index.js']) if (files.has(stemmed + ext)) out.add(stemmed + ext)
  }
  for (const dir of dirs) {
    for (const name of ['index', 'main', 'server', 'app', 'worker', 'src/index', 'src/main', 'src/server', 'src/app', 'src/worker']) addFile(dir, name)
    let pkg: { main?: unknown; bin?: unknown; scripts?: Record<string, unknown> }
    try {
      pkg = JSON.parse(readFileSync(`${ctx.abs}/${dir ? `${dir}/` : ''}package.json`, 'utf8'))
    } catch {
      continue
    }
    if (typeof pkg.main === 'string') addFile(dir, pkg.main)
    const bins = typeof pkg.bin === 'string' ? [pkg.bin] : pkg.bin && typeof pkg.bin === 'object' ? Object.values(pkg.bin) : []
    for (const b of bins) if (typeof b === 'string') addFile(dir, b)
    for (const script of Object.values(pkg.scripts ?? {})) {
      if (typeof script !== 'string') continue
      for (const m of script.matchAll(/\b(?:node|tsx|ts-node|bun|deno run|nodemon)\s+(?:--?[\w-]+(?:[= ]\S+)?\s+)*([\w./-]+\.(?:[cm]?[jt]s|tsx))/g))
        addFile(dir, m[1]!)
    }
  }
  return out
}

function resolveContext(ctx: InventoryContext): ModuleResolveContext {
  const byDir = new Map<string, string[]>()
  for (const r of ctx.records) pushTo(byDir, posix.dirname(r.path), r.path)
  return {
    files: new Set(ctx.records.map((r) => r.path)),
    filesInDir: (dir) => byDir.get(dir === '' ? '.' : dir) ?? [],
    manifestFor: (file, family) => ctx.manifests.nearest(file, family),
  }
}

function textOf(ctx: InventoryContext, r: FileRecord): string | undefined {
  try {
    return r.deferred ? r.deferred.text() : readFileSync(`${ctx.abs}/${r.path}`, 'utf8')
  } catch {
    return undefined
  }
}

function moduleOf(r: FileRecord | undefined): ModuleInfo | undefined {
  try {
    return r?.module
  } catch {
    return undefined
  }
}

/** The usage level and the sites that show it, from the sites found and which of them are reached. */
export function usageOf(
  calls: SourceLocation[],
  constructs: SourceLocation[],
  imports: SourceLocation[],
  reached: (file: string) => boolean,
): { level: CapabilityUsage; at: SourceLocation[] } {
  const onPath = calls.filter((c) => reached(c.file))
  if (onPath.length) return { level: 'used', at: onPath }
  if (calls.length) return { level: 'unreached', at: calls }
  if (constructs.length) return { level: 'constructed', at: constructs }
  return { level: 'imported', at: imports }
}
