/**
 * The client's one state object: the run on screen with what every view reads off it once, and what
 * the person chose (matrix sort and filters, open routes, the run picked in serve mode). main.ts
 * creates it; the functions that read or change it are handed it.
 */
import type { DashboardInfo, LiveProgress, RunListEntry } from '../../model/dashboard.js'
import type { History } from '../../model/history.js'
import type { RunResult, SystemResult } from '../../model/run.js'

/** A system as the views name it and root its source locations. */
export interface SystemRef {
  name: string
  source: string
}

/** The run on screen, and what every view derives from it. */
export interface LoadedRun {
  run: RunResult
  history: History | null
  baseline: SystemRef
  /** Candidate names, in the run's order. */
  candidates: string[]
  systemByName: Map<string, SystemResult>
  /** Each benched system's colour, by the order it first appears in the figures. */
  benchColors: Map<string, number>
}

export interface MatrixState {
  /** `component`, `items` or `cand:<name>`. */
  sort: string
  dir: 1 | -1
  filter: string
  status: string
}

export interface BehaviourState {
  status: string
  /** Keys of the divergent routes shown open. */
  open: Set<string>
}

export interface ServeState {
  /** The page is the dashboard (`parity serve`), not the HTML report. */
  on: boolean
  /** A run other than the latest was picked. */
  pinned: boolean
  runs: RunListEntry[]
  info: DashboardInfo | null
  /** Fingerprints accepted from this page. */
  accepted: Set<string>
}

/** A `parity run` in flight. */
export interface LiveState {
  stage: string | null
  progress: LiveProgress | null
}

export interface ClientState {
  loaded: LoadedRun | null
  /** Survive re-renders (hash changes, a new run) within the page. */
  matrix: MatrixState
  behaviour: BehaviourState
  serve: ServeState
  live: LiveState | null
}

export function createState(): ClientState {
  return {
    loaded: null,
    matrix: { sort: 'component', dir: 1, filter: '', status: 'all' },
    behaviour: { status: 'all', open: new Set() },
    serve: { on: false, pinned: false, runs: [], info: null, accepted: new Set() },
    live: null,
  }
}
