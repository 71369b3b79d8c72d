/**
 * The same scenario as a k6 script (`parity bench --export k6 FILE.js`), for teams that run load
 * distributed on k6's own runners. Closed model → `constant-vus`, open model → `constant-arrival-rate`;
 * the gates become thresholds; the weighted mix follows the generator's deterministic order.
 * https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/
 */
import { weightedSequence } from './generator.js'
import type { RequestTemplate } from '../model/bench.js'

export interface K6Options {
  url: string
  requests: RequestTemplate[]
  connections: number
  durationMs: number
  /** Open model: requests per second. */
  rate?: number
  thresholds?: { p95Ms?: number; p99Ms?: number; errorRate?: number; rps?: number }
}

/** Longest mix order written into the script (a mix of fractional weights is approximated by it). */
const MAX_SEQUENCE = 1000

export function toK6Script(opts: K6Options): string {
  const base = new URL(opts.url)
  const prefix = base.origin + base.pathname.replace(/\/+$/, '')
  const duration = `${Math.max(1, Math.ceil(opts.durationMs / 1000))}s`
  const vus = Math.max(1, Math.round(opts.connections))
  const scenario = opts.rate
    ? { executor: 'constant-arrival-rate', rate: Math.round(opts.rate), timeUnit: '1s', duration, preAllocatedVUs: vus, maxVUs: vus * 4 }
    : { executor: 'constant-vus', vus, duration }
  const t = opts.thresholds ?? {}
  const thresholds: Record<string, string[]> = {}
  const duration_: string[] = []
  if (t.p95Ms !== undefined) duration_.push(`p(95)<${t.p95Ms}`)
  if (t.p99Ms !== undefined) duration_.push(`p(99)<${t.p99Ms}`)
  if (duration_.length) thresholds.http_req_duration = duration_
  if (t.errorRate !== undefined) thresholds.http_req_failed = [`rate<${t.errorRate}`]
  if (t.rps !== undefined) thresholds.http_reqs = [`rate>=${t.rps}`]
  const options = { scenarios: { parity: scenario }, ...(Object.keys(thresholds).length ? { thresholds } : {}) }
  const requests = opts.requests.map((r) => ({
    method: r.method.toUpperCase(),
    url: prefix + (r.path.startsWith('/') ? r.path : `/${r.path}`),
    body: r.body ?? null,
    headers: Object.fromEntries(r.headers ?? []),
  }))
  const sequence = [
    ...weightedSequence(
      opts.requests.map((r) => r.weight ?? 1),
      MAX_SEQUENCE,
    ),
  ]
  return `// Written by parity (parity bench --export k6). Run: k6 run FILE.js
// Scenario: ${opts.rate ? `open model, ${Math.round(opts.rate)} requests/s` : `closed model, ${vus} virtual users`} for ${duration} against ${base.origin}.
import http from 'k6/http'

export const options = ${JSON.stringify(options, null, 2)}

const REQUESTS = ${JSON.stringify(requests, null, 2)}

// The weighted mix, in parity's deterministic order (smooth weighted round-robin).
const SEQUENCE = ${JSON.stringify(sequence)}
const VUS = ${vus}

export default function () {
  // Interleave the virtual users over one global order, so that the mix holds across them.
  const r = REQUESTS[SEQUENCE[((__ITER * VUS) + (__VU - 1)) % SEQUENCE.length]]
  http.request(r.method, r.url, r.body, { headers: r.headers })
}
`
}
