/**
 * The terminal view of the history: the trend (one row per run, and per candidate when there are
 * several) and, per item, when it was first ported and when its status last changed. A pure
 * function of the History (and of an item's stored statuses for `--item`).
 */
import { verifiedPercentOf } from '../assess/verified.js'
import type { History, HistoryRun, ItemHistory } from '../model/history.js'
import type { PairStatus, Summary } from '../model/run.js'
import { textTable as table } from './text-table.js'

/** One stored status of an item, as the store's `timeline()` gives it. */
export interface ItemStatusRow {
  run: string
  kind: string
  key: string
  candidate: string
  status: PairStatus
}

const STATUSES = ['ported', 'verified', 'divergent', 'missing', 'excluded', 'extra'] as const

/** `2025-05-01 12:30` in UTC: stable whatever the reader's time zone. */
function date(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}

/** Verified share of the items to port; `–` while nothing has dynamic evidence. */
export function verifiedPercent(s: Summary): string {
  if (s.verified + s.divergent === 0 || s.total === 0) return '–'
  return `${s.verifiedPercent ?? verifiedPercentOf(s)}%`
}

function runNumbers(history: History): Map<string, string> {
  return new Map(history.runs.map((r, i) => [r.id, `#${i + 1}`]))
}

function gate(r: HistoryRun): string {
  return r.productionReady === null ? '–' : r.productionReady ? 'ready' : 'NOT READY'
}

/** One row per run (per candidate and run when there are several candidates), oldest first. */
export function renderTrend(history: History): string {
  const names = [...new Set(history.runs.flatMap((r) => Object.keys(r.candidates)))]
  const several = names.length > 1
  const head = ['Run', 'Date', 'Commit', ...(several ? ['Candidate'] : []), 'Ported', 'Verified', ...STATUSES, 'Gates', 'Id']
  const rows: string[][] = []
  history.runs.forEach((r, i) => {
    const per: Array<[string, Summary]> = several
      ? names.flatMap((n) => (r.candidates[n] ? [[n, r.candidates[n]] as [string, Summary]] : []))
      : [['', r.summary]]
    for (const [name, s] of per) {
      rows.push([
        `#${i + 1}`,
        date(r.startedAt),
        r.commit ? r.commit.slice(0, 7) : '–',
        ...(several ? [name] : []),
        `${s.percent}%`,
        verifiedPercent(s),
        ...STATUSES.map((st) => String(s[st])),
        gate(r),
        r.id,
      ])
    }
  })
  const first = several ? 4 : 3
  const right = new Set(Array.from({ length: 2 + STATUSES.length }, (_, k) => first + k))
  return `${table(head, rows, right).join('\n')}\n`
}

function when(mark: { run: string; at: string } | undefined, numbers: Map<string, string>): string {
  return mark ? `${numbers.get(mark.run) ?? mark.run} ${date(mark.at)}` : '–'
}

/** Per item and candidate: its status now, the run where it was first ported, the run where it last changed. */
export function renderItems(history: History, items: ItemHistory[] = history.items): string {
  const numbers = runNumbers(history)
  const rows = items.map((it) => [it.key, it.candidate, it.status, when(it.firstPorted, numbers), when(it.lastChanged, numbers)])
  return `${table(['Item', 'Candidate', 'Status', 'First ported', 'Last changed'], rows, new Set()).join('\n')}\n`
}

/** The life of one item: its status in every run, one column per candidate, then its item rows. */
export function renderItemTimeline(history: History, key: string, timeline: ItemStatusRow[]): string {
  const numbers = runNumbers(history)
  // The same key under two kinds (a route and an SSE endpoint) gets a column for each.
  const kinds = new Set(timeline.map((t) => t.kind)).size
  const column = (t: ItemStatusRow) => (kinds > 1 ? `${t.candidate} (${t.kind})` : t.candidate)
  const columns = [...new Set(timeline.map(column))]
  const byRun = new Map<string, Map<string, PairStatus>>()
  for (const t of timeline) {
    const cells = byRun.get(t.run) ?? new Map<string, PairStatus>()
    cells.set(column(t), t.status)
    byRun.set(t.run, cells)
  }
  const rows = history.runs.map((r) => [
    numbers.get(r.id)!,
    date(r.startedAt),
    r.commit ? r.commit.slice(0, 7) : '–',
    ...columns.map((c) => byRun.get(r.id)?.get(c) ?? 'absent'),
  ])
  const out = [`${key}`, '', ...table(['Run', 'Date', 'Commit', ...columns], rows, new Set()), '']
  const items = history.items.filter((i) => i.key === key)
  if (items.length) out.push(renderItems(history, items))
  else out.push('Not in the latest run.\n')
  return out.join('\n')
}
