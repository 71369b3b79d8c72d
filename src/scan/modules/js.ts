import { posix } from 'node:path'
import type { WorkspacePackage } from '../../extractors/types.js'
import type { ModuleResolveContext, ModuleResolver } from './types.js'

const extensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']

/**
 * Relative specifiers with or without extension (`./users`, `./users.js` for a `.ts` file, `./users/index`),
 * the nearest tsconfig's `paths` aliases (`@server/routes` -> `server/routes`), and `@/` or `~/` to `src/`.
 */
export const resolveJsModule: ModuleResolver = (spec, fromFile, ctx) => {
  if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
    return fileOf(posix.normalize(posix.join(posix.dirname(fromFile), spec)), ctx)
  }
  for (const alias of ctx.manifestFor(fromFile, 'js').aliases ?? []) {
    const star = alias.pattern.indexOf('*')
    const head = star === -1 ? alias.pattern : alias.pattern.slice(0, star)
    const tail = star === -1 ? '' : alias.pattern.slice(star + 1)
    const matches = star === -1 ? spec === alias.pattern : spec.startsWith(head) && spec.endsWith(tail) && spec.length >= head.length + tail.length
    if (!matches) continue
    const captured = star === -1 ? '' : spec.slice(head.length, spec.length - tail.length)
    for (const target of alias.targets) {
      const found = fileOf(posix.normalize(target.replace('*', captured)), ctx)
      if (found.length) return found
    }
  }
  if (spec.startsWith('@/') || spec.startsWith('~/')) return fileOf(`src/${spec.slice(2)}`, ctx)
  return workspaceFile(spec, ctx.manifestFor(fromFile, 'js').workspace, ctx)
}

/**
 * A package of the tree (npm, yarn and pnpm workspaces link it into node_modules): its entry point
 * (`exports`, `main`; built `dist/` paths fall back to the sources), or a file under its folder.
 */
function workspaceFile(spec: string, workspace: ReadonlyMap<string, WorkspacePackage> | undefined, ctx: ModuleResolveContext): string[] {
  if (!workspace) return []
  const segs = spec.split('/')
  const nameLength = spec.startsWith('@') ? 2 : 1
  const pkg = workspace.get(segs.slice(0, nameLength).join('/'))
  if (!pkg) return []
  const sub = segs.slice(nameLength).join('/')
  const entry = pkg.entries[sub ? `./${sub}` : '.']
  const candidates = entry ? [entry, entry.replace(/^(\.\/)?(dist|build|lib)\//, 'src/')] : []
  if (sub) candidates.push(sub, `src/${sub}`)
  else candidates.push('index', 'src/index')
  for (const c of candidates) {
    const found = fileOf(posix.normalize(posix.join(pkg.dir, c)), ctx)
    if (found.length) return found
  }
  return []
}

function fileOf(base: string, ctx: ModuleResolveContext): string[] {
  const stem = base.replace(/\.(m|c)?js$|\.jsx$|\.d\.ts$/, '')
  const candidates = [base, ...extensions.map((e) => stem + e), ...extensions.map((e) => `${base}/index${e}`)]
  for (const c of candidates) if (ctx.files.has(c)) return [c]
  return []
}
