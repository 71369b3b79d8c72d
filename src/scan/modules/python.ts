import { posix } from 'node:path'
import type { ModuleResolver } from './types.js'

/** Dotted module name -> the files it may name, for each scanned file set. */
const indexes = new WeakMap<ReadonlySet<string>, Map<string, string[]>>()

/**
 * Every dotted suffix of every `.py` file: `src/app/routers/users.py` is `users`, `routers.users`,
 * `app.routers.users` and `src.app.routers.users`; a package's `__init__.py` is the package's name.
 */
function moduleIndex(files: ReadonlySet<string>): Map<string, string[]> {
  const hit = indexes.get(files)
  if (hit) return hit
  const index = new Map<string, string[]>()
  for (const file of files) {
    if (!file.endsWith('.py')) continue
    const segs = file.slice(0, -3).split('/')
    if (segs[segs.length - 1] === '__init__') segs.pop()
    for (let i = segs.length - 1; i >= 0; i--) {
      const key = segs.slice(i).join('.')
      index.set(key, [...(index.get(key) ?? []), file])
    }
  }
  indexes.set(files, index)
  return index
}

/**
 * Relative modules (`.users`, `..core.config`, `.`) from the importing file's package, one folder
 * up per extra dot; absolute ones (`app.routers.users`) by path suffix anywhere in the tree,
 * preferring the shortest path, then the one nearest to the importing file.
 */
export const resolvePythonModule: ModuleResolver = (spec, fromFile, ctx) => {
  const dots = /^\.*/.exec(spec)![0].length
  if (dots > 0) {
    let dir = posix.dirname(fromFile)
    for (let i = 1; i < dots; i++) dir = posix.dirname(dir)
    const rest = spec.slice(dots).split('.').filter(Boolean).join('/')
    const base = rest ? (dir === '.' ? rest : `${dir}/${rest}`) : dir
    const candidates = rest ? [`${base}.py`, `${base}/__init__.py`] : [`${base === '.' ? '' : `${base}/`}__init__.py`]
    return candidates.filter((c) => ctx.files.has(c)).slice(0, 1)
  }
  const found = moduleIndex(ctx.files).get(spec)
  if (!found?.length) return []
  const depth = (f: string) => f.split('/').length - (f.endsWith('/__init__.py') ? 1 : 0)
  const shared = (f: string) => {
    const a = f.split('/')
    const b = fromFile.split('/')
    let n = 0
    while (n < a.length && n < b.length && a[n] === b[n]) n++
    return n
  }
  const best = [...found].sort((a, b) => depth(a) - depth(b) || shared(b) - shared(a) || a.localeCompare(b))[0]!
  return [best]
}
