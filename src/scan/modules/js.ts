import { posix } from 'node:path'
import type { ModuleResolver } from './types.js'

const extensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']

/** Relative specifiers with or without extension (`./users`, `./users.js` for a `.ts` file, `./users/index`), and `@/` or `~/` aliases to `src/`. */
export const resolveJsModule: ModuleResolver = (spec, fromFile, ctx) => {
  let base: string
  if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
    base = posix.normalize(posix.join(posix.dirname(fromFile), spec))
  } else if (spec.startsWith('@/') || spec.startsWith('~/')) {
    base = `src/${spec.slice(2)}`
  } else return []
  const stem = base.replace(/\.(m|c)?js$|\.jsx$/, '')
  const candidates = [base, ...extensions.map((e) => stem + e), ...extensions.map((e) => `${base}/index${e}`)]
  for (const c of candidates) if (ctx.files.has(c)) return [c]
  return []
}
