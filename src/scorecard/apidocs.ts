/**
 * API documentation coverage: the share of a system's routes its OpenAPI document describes,
 * matched by canonical route key (as `parity scan` compares a tree with the documents inside it:
 * a route of any method matches by path, and a document whose paths omit a served prefix matches
 * by suffix).
 */
import { readFileSync } from 'node:fs'
import type { EndpointItem } from '../model/inventory.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import { readSpec } from '../openapi/openapi.js'

export interface ApiDocumentation {
  documented: number
  total: number
  /** documented / total (1 for a system without routes). */
  ratio: number
  /** The first undocumented route keys. */
  undocumented: string[]
}

/** The routes (kind `route`) of one system in the run: the baseline's items, or a candidate's counterparts. */
export function routesOf(run: RunResult, system: string): EndpointItem[] {
  const role = run.systems.find((s) => s.name === system)?.role
  const seen = new Map<string, EndpointItem>()
  const add = (item: unknown) => {
    const e = item as EndpointItem | null | undefined
    if (e && e.kind === 'route' && !seen.has(e.key)) seen.set(e.key, e)
  }
  for (const p of run.pairs) {
    if (p.kind !== 'route') continue
    if (role === 'baseline') add(p.baseline)
    else if (p.matrix) add(p.matrix[system]?.candidate)
    else if (p.candidateSystem === system) add(p.candidate)
  }
  return [...seen.values()]
}

/** Which of `routes` the document text describes. A malformed document is a ParityError naming it. */
export function documentedShare(routes: readonly EndpointItem[], specText: string, label: string): ApiDocumentation {
  const spec = readSpec(specText, label).items
  const pathOf = (key: string) => key.slice(key.indexOf(' ') + 1)
  const keys = new Set(spec.map((s) => s.key))
  const described = (r: EndpointItem) =>
    keys.has(r.key) ||
    spec.some((s) => {
      if (s.method !== r.method && r.method !== 'ALL') return false
      const sp = pathOf(s.key)
      const rp = pathOf(r.key)
      return sp === rp || (sp !== '/' && rp.endsWith(sp))
    })
  const undocumented = routes.filter((r) => !described(r)).map((r) => r.key)
  const documented = routes.length - undocumented.length
  return { documented, total: routes.length, ratio: routes.length ? documented / routes.length : 1, undocumented: undocumented.slice(0, 10) }
}

export function measureApiDocumentation(run: RunResult, system: string, file: string, label = file): ApiDocumentation {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new ParityError('NO_OPENAPI', `${label}: no such OpenAPI document`, 'fix the `scorecard.openapi` path, or generate the document first')
  }
  return documentedShare(routesOf(run, system), text, label)
}
