/**
 * The dashboard's JSON API (`parity serve`) and the live progress of `parity run`: what the server
 * answers and what its browser client reads, one contract for both.
 */

/** One line of `live.ndjson`. `start` opens a run (the file is truncated), `end` closes it. */
export type LiveEvent =
  | { type: 'start'; pid: number; at: string }
  | { type: 'stage'; stage: string; at: string }
  | { type: 'progress'; done: number; total: number; label?: string; at: string }
  | { type: 'end'; at: string }

export type LiveProgress = Extract<LiveEvent, { type: 'progress' }>

/** The stage and progress of a run in flight, sent first to a page that connects late. */
export interface LiveSnapshot {
  type: 'state'
  stage: string | null
  progress: LiveProgress | null
}

/** `GET /api/runs`: one line per stored run, for the run picker. */
export interface RunListEntry {
  id: string
  startedAt: string
  commit?: string
  branch?: string
  verdict: 'production-ready' | 'not-ready' | 'no-gates'
  /** Ported and verified percent, by candidate name. */
  percents: Record<string, { ported: number; verified: number }>
}

/** `GET /api/info`: what the dashboard serves. */
export interface DashboardInfo {
  version: string
  config: string | null
  historyFile: string
  storeExists: boolean
  /** A config was given: differences can be accepted into its ledger. */
  canAccept: boolean
}
