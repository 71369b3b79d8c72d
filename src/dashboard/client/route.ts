/** The hash routes of the views: `#/`, `#/matrix`, `#/component/<name>`, `#/behaviour`, ... */

export type Route = { view: 'component'; name: string } | { view: 'overview' | 'matrix' | 'trend' | 'behaviour' | 'performance' | 'mcp' | 'plan' | 'scorecard' }

const NAMED = ['matrix', 'trend', 'behaviour', 'performance', 'mcp', 'plan', 'scorecard'] as const

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '')
  if (h.indexOf('component/') === 0) return { view: 'component', name: decodeURIComponent(h.slice('component/'.length)) }
  const named = NAMED.find((v) => v === h)
  return { view: named || 'overview' }
}
