/**
 * Where the run comes from: embedded in the page as `{ run, history }` (the HTML report), or fetched
 * from the dashboard's JSON API (`parity serve`).
 */
import type { DashboardInfo, RunListEntry } from '../../model/dashboard.js'
import type { History } from '../../model/history.js'
import type { RunResult, SystemResult } from '../../model/run.js'
import { systemOf } from './run-facts.js'
import type { LoadedRun } from './state.js'

/** What the HTML report embeds, and what serve mode assembles from the API. */
export interface ClientData {
  run: RunResult
  history?: History | null
}

/** The report's embedded data (report/html/render.ts writes it into #parity-data); null when served. */
export function readEmbedded(): ClientData | null {
  const node = document.getElementById('parity-data')
  return node ? (JSON.parse(node.textContent || '{}') as ClientData) : null
}

/** The run as the views read it: the baseline, the candidates and the bench colours found once. */
export function loadRun(data: ClientData): LoadedRun {
  const run = data.run
  const systemByName = new Map<string, SystemResult>()
  run.systems.forEach((s) => {
    systemByName.set(s.name, s)
  })
  const benchColors = new Map<string, number>()
  ;[...(run.bench || []), ...(run.wsBench || [])].forEach((e) => {
    const s = systemOf(e)
    if (!benchColors.has(s)) benchColors.set(s, benchColors.size)
  })
  return {
    run,
    history: data.history || null,
    baseline: run.systems.find((s) => s.role === 'baseline') || { name: 'baseline', source: '' },
    candidates: run.systems.filter((s) => s.role === 'candidate').map((s) => s.name),
    systemByName,
    benchColors,
  }
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } })
  const body = (await res.json()) as (T & { error?: string }) | null
  if (!res.ok) throw new Error(body?.error || `HTTP ${res.status}`)
  return body as T
}

export const fetchInfo = (): Promise<DashboardInfo> => api('/api/info')
export const fetchRuns = (): Promise<RunListEntry[]> => api('/api/runs')
export const fetchHistory = (): Promise<History> => api('/api/history')
/** A stored run by id, or `latest`. */
export const fetchRun = (id: string): Promise<RunResult> => api(`/api/run/${encodeURIComponent(id)}`)

/** `POST /api/accept`: the dashboard writes the fingerprint and reason into the config's ledger. */
export async function postAccept(fingerprint: string, reason: string): Promise<{ ok: boolean; body: { error?: string } }> {
  const res = await fetch('/api/accept', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fingerprint, reason }) })
  const body = (await res.json()) as { error?: string }
  return { ok: res.ok, body }
}
