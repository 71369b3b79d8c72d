/**
 * Live progress of `parity run`, for `parity serve`: the run writes its stage and progress as JSON
 * lines to `live.ndjson` beside the history store, and the dashboard tails that file. Best effort:
 * a write that fails never stops the run.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { LiveEvent } from '../model/dashboard.js'

export interface LiveWriter {
  stage(name: string): void
  progress(done: number, total: number, label?: string): void
  end(): void
}

/** The live file of a history store: `<history dir>/live.ndjson`. */
export function liveFile(historyFile: string): string {
  return join(dirname(historyFile), 'live.ndjson')
}

/** Progress lines are written at most this often (the last one of a stage always is). */
const PROGRESS_EVERY_MS = 100

/** Starts the live file of a run (truncating the previous run's) and returns its writer. */
export function liveWriter(historyFile: string, now: () => number = Date.now): LiveWriter {
  const file = liveFile(historyFile)
  let ok = true
  const write = (event: LiveEvent, truncate = false) => {
    if (!ok) return
    try {
      if (truncate) {
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, `${JSON.stringify(event)}\n`)
      } else appendFileSync(file, `${JSON.stringify(event)}\n`)
    } catch {
      ok = false // an unwritable folder: the run goes on without a live view
    }
  }
  const at = () => new Date(now()).toISOString()
  write({ type: 'start', pid: process.pid, at: at() }, true)
  let last = -Infinity
  return {
    stage: (stage) => {
      last = -Infinity
      write({ type: 'stage', stage, at: at() })
    },
    progress: (done, total, label) => {
      const t = now()
      if (done < total && t - last < PROGRESS_EVERY_MS) return
      last = t
      write({ type: 'progress', done, total, ...(label ? { label } : {}), at: at() })
    },
    end: () => write({ type: 'end', at: at() }),
  }
}
