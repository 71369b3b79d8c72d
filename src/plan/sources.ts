/**
 * A light look at the baseline's source for `parity plan`: which files belong to which component,
 * their lines, the packages they import, and which components import which. A file belongs to the
 * component of the items it declares (the most items), else to the one component whose items live
 * in its folder (or under the root of the one service or package that claims it), else to the one
 * component whose files reach it through local imports. A file that imports three or more other
 * components (the app that mounts every router) adds no fan-in. JavaScript and TypeScript calls
 * with a literal path (`fetch('/files')`, `axios.post('/api/x')`) are read too: a component that
 * calls another's routes depends on it.
 */
import { readFileSync } from 'node:fs'
import type { SgNode } from '@ast-grep/napi'
import { join, posix } from 'node:path'
import { familyOf, languageOfFile } from '../languages/parse.js'
import type { LanguageFamily } from '../languages/types.js'
import { isTestFile } from '../scan/test-files.js'
import { countLines, parseModule } from '../scan/file.js'
import { walkTree } from '../scan/walk.js'

export interface ComponentSources {
  files: Set<string>
  lines: number
  /** Packages imported by its files (npm names, Go import paths, Python top-level modules, crates). */
  packages: Set<string>
  /** Other components whose files import one of its files. */
  importedBy: Set<string>
  /** Calls its files make with a literal path: the routes it uses, of whichever component. */
  calls: PathCall[]
}

/** `fetch('/files')` at `web-ui/src/FileList.tsx:12`: a method when the call says it. */
export interface PathCall {
  file: string
  line: number
  method?: string
  path: string
}

interface FileInfo {
  lines: number
  family: LanguageFamily
  /** Local files it imports, relative to the root. */
  local: string[]
  packages: string[]
  calls: PathCall[]
}

const MAX_FILE_BYTES = 2 * 1024 * 1024
const WIRING_FILE_IMPORTS = 3

/**
 * `itemFiles`: file -> component -> item count, from the baseline's items. `roots`: folders a service
 * or package owns (relative to the root), claiming the files under them that no item places.
 */
export function readComponentSources(
  rootAbs: string,
  itemFiles: Map<string, Map<string, number>>,
  roots: ReadonlyArray<{ root: string; owner: string }> = [],
): Map<string, ComponentSources> {
  const sources = walkTree(rootAbs).sources.filter((f) => !isTestFile(f))
  const known = new Set(sources)
  const infos = new Map<string, FileInfo>()
  for (const rel of sources) {
    let text: string
    try {
      const buf = readFileSync(join(rootAbs, rel))
      if (buf.byteLength > MAX_FILE_BYTES) continue
      text = buf.toString('utf8')
    } catch {
      continue // unreadable files were reported by the scan
    }
    const family = familyOf(languageOfFile(rel)!)
    const parsed = parseModule(rel, text, [])
    const specs = parsed ? [...new Set(Object.values(parsed.module.imports).map((i) => i.module))] : []
    const local: string[] = []
    const packages: string[] = []
    for (const spec of specs) {
      const resolved = resolveLocal(family, rel, spec, known)
      if (resolved.length) local.push(...resolved)
      else {
        const pkg = packageName(family, spec)
        if (pkg) packages.push(pkg)
      }
    }
    infos.set(rel, { lines: countLines(text), family, local, packages, calls: parsed && family === 'js' ? pathCalls(rel, parsed.root) : [] })
  }

  // Ownership: declared items, then the folder, then local imports from one component only.
  const owner = new Map<string, string>()
  const byDir = new Map<string, Set<string>>()
  for (const [file, counts] of itemFiles) {
    let best = ''
    let most = 0
    for (const [comp, n] of counts) if (n > most || (n === most && comp < best)) [best, most] = [comp, n]
    if (best) owner.set(file, best)
    const dir = posix.dirname(file)
    const set = byDir.get(dir) ?? new Set()
    for (const comp of counts.keys()) set.add(comp)
    byDir.set(dir, set)
  }
  // The deepest root above a file claims it; a root two owners share (single-file services of one folder) claims nothing.
  const claims = new Map<string, Set<string>>()
  for (const { root, owner: o } of roots) claims.set(root === '.' ? '' : root, (claims.get(root === '.' ? '' : root) ?? new Set()).add(o))
  for (const rel of infos.keys()) {
    if (owner.has(rel)) continue
    const comps = byDir.get(posix.dirname(rel))
    if (comps?.size === 1) {
      owner.set(rel, [...comps][0]!)
      continue
    }
    for (let dir = posix.dirname(rel); claims.size; dir = posix.dirname(dir)) {
      const claim = claims.get(dir === '.' ? '' : dir)
      if (claim) {
        if (claim.size === 1) owner.set(rel, [...claim][0]!)
        break
      }
      if (dir === '.' || dir === '/' || dir === '') break
    }
  }
  const reachedBy = new Map<string, Set<string>>()
  const seeds = [...owner]
  for (const [start, comp] of seeds) {
    const stack = [start]
    const seen = new Set<string>(stack)
    while (stack.length) {
      for (const next of infos.get(stack.pop()!)?.local ?? []) {
        if (seen.has(next) || owner.has(next)) continue
        seen.add(next)
        const set = reachedBy.get(next) ?? new Set()
        set.add(comp)
        reachedBy.set(next, set)
        stack.push(next)
      }
    }
  }
  for (const [file, comps] of reachedBy) if (comps.size === 1) owner.set(file, [...comps][0]!)

  const out = new Map<string, ComponentSources>()
  const of = (comp: string) => {
    let s = out.get(comp)
    if (!s) out.set(comp, (s = { files: new Set(), lines: 0, packages: new Set(), importedBy: new Set(), calls: [] }))
    return s
  }
  for (const [file, comp] of owner) {
    const info = infos.get(file)
    const s = of(comp)
    s.files.add(file)
    if (!info) continue
    s.lines += info.lines
    for (const p of info.packages) s.packages.add(p)
    s.calls.push(...info.calls)
    const others = new Set(info.local.map((t) => owner.get(t)).filter((o): o is string => !!o && o !== comp))
    // A file importing three or more other components wires the app together (mounts every router): not a use.
    if (others.size >= WIRING_FILE_IMPORTS) continue
    for (const other of others) of(other).importedBy.add(comp)
  }
  return out
}

const FUNCTION_KINDS = new Set(['arrow_function', 'function_expression', 'function'])
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options'])

/**
 * Calls whose first argument is a literal path or URL: `fetch('/files')`, `axios.get(`/users/${id}`)`,
 * `client.post('http://api/jobs')`. A template's substitutions become a parameter segment. The method
 * is the callee's name (`get`, `post`...) or fetch's literal `method:`; else unknown.
 */
function pathCalls(file: string, root: SgNode): PathCall[] {
  const out: PathCall[] = []
  for (const call of root.findAll({ rule: { kind: 'call_expression' } })) {
    const args = call.field('arguments')?.namedChildren() ?? []
    const first = args[0]
    // A handler among the arguments: a route declared (`app.get('/x', (req, res) => ...)`), not a call made.
    if (!first || args.some((a) => FUNCTION_KINDS.has(String(a.kind())))) continue
    let text: string | undefined
    if (first.kind() === 'string') text = first.text().slice(1, -1)
    else if (first.kind() === 'template_string')
      text = first
        .children()
        .map((c) => (c.kind() === 'template_substitution' ? '{}' : c.kind() === '`' ? '' : c.text()))
        .join('')
    if (text === undefined) continue
    const path = text.startsWith('/') ? text : /^https?:\/\/[^/]+(\/.*)?$/.exec(text)?.[1]
    if (!path || path.startsWith('//')) continue
    const callee = call.field('function')
    const name = callee?.kind() === 'member_expression' ? callee.field('property')?.text() : callee?.text()
    let method = name && HTTP_METHODS.has(name.toLowerCase()) ? name.toUpperCase() : undefined
    if (!method && name === 'fetch') {
      const options = args[1]
      const literal = options?.kind() === 'object' ? options.children().find((p) => p.kind() === 'pair' && p.field('key')?.text() === 'method') : undefined
      const value = literal?.field('value')
      method = value?.kind() === 'string' ? value.text().slice(1, -1).toUpperCase() : options ? undefined : 'GET'
    }
    out.push({ file, line: call.range().start.line + 1, ...(method ? { method } : {}), path: path.split(/[?#]/)[0]! })
  }
  return out
}

const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']

/** The local files an import refers to (none for a package). */
function resolveLocal(family: LanguageFamily, from: string, spec: string, known: Set<string>): string[] {
  const dir = posix.dirname(from)
  if (family === 'js') {
    if (!spec.startsWith('.')) return []
    const base = posix.normalize(posix.join(dir, spec))
    const stem = base.replace(/\.[cm]?[jt]sx?$/, '')
    for (const c of [base, ...JS_EXTENSIONS.map((e) => stem + e), ...JS_EXTENSIONS.map((e) => `${base}/index${e}`)]) if (known.has(c)) return [c]
    return []
  }
  if (family === 'python') {
    let path: string
    if (spec.startsWith('.')) {
      const dots = /^\.+/.exec(spec)![0].length
      let base = dir
      for (let i = 1; i < dots; i++) base = posix.dirname(base)
      path = posix.join(base, spec.slice(dots).replace(/\./g, '/'))
    } else path = spec.replace(/\./g, '/')
    for (const c of [`${path}.py`, `${path}/__init__.py`]) {
      if (known.has(c)) return [c]
      // An absolute module is relative to a source root somewhere above the file.
      if (!spec.startsWith('.')) for (const k of known) if (k.endsWith(`/${c}`)) return [k]
    }
    return []
  }
  if (family === 'go') {
    // An import path of this module ends with the folder it names.
    const segs = spec.split('/')
    if (segs.length < 2) return []
    const tail = segs.slice(-2).join('/')
    return [...known].filter((k) => k.endsWith('.go') && (posix.dirname(k) === tail || posix.dirname(k).endsWith(`/${tail}`)))
  }
  if (family === 'rust') {
    const m = /^crate::(\w+)/.exec(spec)
    if (!m) return []
    const srcDir = from.includes('/src/') ? from.slice(0, from.indexOf('/src/') + 5) : from.startsWith('src/') ? 'src/' : `${dir}/`
    for (const c of [`${srcDir}${m[1]}.rs`, `${srcDir}${m[1]}/mod.rs`]) if (known.has(c)) return [c]
  }
  return []
}

const STD_ROOTS = new Set(['std', 'core', 'alloc', 'crate', 'self', 'super'])

function packageName(family: LanguageFamily, spec: string): string | undefined {
  if (family === 'js') {
    if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) return undefined
    const parts = spec.split('/')
    return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
  }
  if (family === 'python') return spec.startsWith('.') ? undefined : spec.split('.')[0]
  if (family === 'rust') {
    const root = spec.split('::')[0] ?? ''
    return root && !STD_ROOTS.has(root) ? root : undefined
  }
  // Go: the standard library has no dot in its first segment.
  return spec.split('/')[0]!.includes('.') ? spec : undefined
}
