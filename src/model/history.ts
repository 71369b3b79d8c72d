/** What the history store gives the reports: the trend over runs and the life of each item. */
import type { PairStatus, Summary } from './run.js'

export interface HistoryRun {
  id: string
  startedAt: string
  commit?: string
  branch?: string
  /** For the first candidate. */
  summary: Summary
  candidates: Record<string, Summary>
  /** null when no gate is configured. */
  productionReady: boolean | null
  /** The measured value of each objective (by name) in this run; null when it was not measurable. */
  objectives?: Record<string, number | null>
}

/** One objective's value per run, oldest first; null where a run did not have it or could not measure it. */
export function objectiveTrend(runs: HistoryRun[], name: string): Array<number | null> {
  return runs.map((r) => r.objectives?.[name] ?? null)
}

export interface ItemHistory {
  key: string
  candidate: string
  status: PairStatus
  /** Id and time of the first run where it was ported or verified. */
  firstPorted?: { run: string; at: string }
  /** Id and time of the last run where its status changed. */
  lastChanged: { run: string; at: string }
}

/** Oldest run first. */
export interface History {
  runs: HistoryRun[]
  items: ItemHistory[]
}
