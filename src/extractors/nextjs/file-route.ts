/**
 * Next.js file-system routing: the URL path a route file serves, from its path inside the project.
 * https://nextjs.org/docs/app/building-your-application/routing/defining-routes
 */

export type FileRoute =
  /** `app/**\/route.ts`: an App Router route handler. */
  | { router: 'app'; path: string }
  /** `pages/api/**`: a Pages Router API route. */
  | { router: 'pages'; path: string }

const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/

/**
 * The route a file serves, given its path relative to the Next project root (the folder of its
 * package.json); undefined for a file that serves none (a page, a component, a private folder).
 * Dynamic segments are written `{id}`, catch-alls `{*slug}`.
 */
export function fileRoute(relPath: string): FileRoute | undefined {
  const segs = relPath.split('/')
  if (segs[0] === 'src') segs.shift()
  const top = segs.shift()
  if (top === 'app') {
    const file = segs.pop()
    if (file?.replace(SOURCE, '') !== 'route' || !SOURCE.test(file)) return undefined
    const out: string[] = []
    for (const seg of segs) {
      // Private folders, parallel-route slots and intercepting routes serve no route handler.
      if (seg.startsWith('_') || seg.startsWith('@') || /^\(\.{1,3}\)/.test(seg)) return undefined
      if (seg.startsWith('(') && seg.endsWith(')')) continue
      out.push(segmentOf(seg))
    }
    return { router: 'app', path: `/${out.join('/')}` }
  }
  if (top === 'pages' && segs[0] === 'api') {
    const file = segs.pop()
    if (!file || !SOURCE.test(file)) return undefined
    const stem = file.replace(SOURCE, '')
    const out = [...segs, ...(stem === 'index' ? [] : [stem])].map(segmentOf)
    return { router: 'pages', path: `/${out.join('/')}` }
  }
  return undefined
}

/** `[id]` -> `{id}`, `[...slug]` and `[[...slug]]` -> `{*slug}`, `%5Fname` -> `_name`. */
function segmentOf(seg: string): string {
  const optional = /^\[\[\.\.\.(\w+)\]\]$/.exec(seg)
  if (optional) return `{*${optional[1]}}`
  const catchAll = /^\[\.\.\.(\w+)\]$/.exec(seg)
  if (catchAll) return `{*${catchAll[1]}}`
  const dynamic = /^\[(\w+)\]$/.exec(seg)
  if (dynamic) return `{${dynamic[1]}}`
  return seg.replace(/^%5F/i, '_')
}
