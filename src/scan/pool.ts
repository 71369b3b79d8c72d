/**
 * Per-file work spread over worker threads: each worker parses and extracts whole files, the main
 * thread only walks, resolves and reports. Results keep the walk's order, so the output does not
 * depend on which worker finished first.
 *
 * Each file has a wall-clock budget. A worker writes the number of the file it is on into shared
 * memory; the main thread looks every quarter budget, and a worker still on the same file past the
 * budget (a pathological file, an extractor that loops) is terminated: that file is skipped as
 * `timeout` with a diagnostic, the rest of its batch goes back to the queue, and a new worker takes
 * over. A scan therefore always ends.
 */
import { Worker } from 'node:worker_threads'
import { duration } from '../model/words.js'
import type { Want } from './capability-facts.js'
import type { FileOutcome, FileTask } from './file.js'

const BATCH = 32

/** The outcome of a file that ran out of its budget. */
export function timedOut(rel: string, budgetMs: number): FileOutcome {
  return {
    diagnostics: [
      {
        level: 'warn',
        code: 'SCAN_FILE_TIMEOUT',
        file: rel,
        message: `${rel} was still being parsed or extracted after ${duration(budgetMs)}; stopped and skipped (its routes are not in the inventory)`,
      },
    ],
    skipped: 'timeout',
    lines: 0,
    parsed: false,
  }
}

export async function processInWorkers(
  abs: string,
  tasks: FileTask[],
  maxBytes: number,
  extractorModules: string[],
  jobs: number,
  onProgress?: (done: number, total: number) => void,
  budgetMs = 20_000,
  wantLists: Want[][] = [],
): Promise<FileOutcome[]> {
  const results: FileOutcome[] = new Array(tasks.length)
  /** Task indices still to do; a batch cut short by a timeout puts its rest back at the front. */
  const queue: number[] = tasks.map((_, i) => i)
  let done = 0
  const workerUrl = new URL('./worker.js', import.meta.url)
  const finish = (i: number, outcome: FileOutcome) => {
    results[i] = outcome
    done++
    onProgress?.(done, tasks.length)
  }

  const run = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      // [files started by this worker]: written by the worker before each file.
      const progress = new Int32Array(new SharedArrayBuffer(4))
      const worker = new Worker(workerUrl, { workerData: { abs, maxBytes, extractorModules, progress, wantLists } })
      let batch: number[] = []
      let startedBefore = 0
      let seen = -1
      let seenAt = 0
      let settled = false
      /** Terminated on purpose: its exit code (1) is no failure. */
      let stopping = false
      const end = (e?: Error) => {
        if (settled) return
        settled = true
        clearInterval(watch)
        if (e) reject(e)
        else resolve()
      }
      const send = () => {
        if (queue.length === 0) {
          batch = []
          stopping = true
          void worker.terminate().then(() => end())
          return
        }
        batch = queue.splice(0, BATCH)
        startedBefore = Atomics.load(progress, 0)
        worker.postMessage(batch.map((i) => tasks[i]!))
      }
      const watch = setInterval(
        () => {
          if (!batch.length) return
          const now = Date.now()
          const started = Atomics.load(progress, 0)
          if (started !== seen) {
            seen = started
            seenAt = now
            return
          }
          if (now - seenAt < budgetMs || started === startedBefore) return
          // Still on the same file past its budget: stop this worker, skip the file, requeue the rest.
          const stuck = started - startedBefore - 1
          const cut = batch
          batch = []
          finish(cut[stuck]!, timedOut(tasks[cut[stuck]!]!.rel, budgetMs))
          queue.unshift(...cut.filter((_, k) => k !== stuck))
          clearInterval(watch)
          settled = true
          void worker.terminate().then(() => run().then(resolve, reject))
        },
        Math.max(10, Math.floor(budgetMs / 4)),
      )
      watch.unref()
      worker.on('message', (msg: FileOutcome[] | 'ready') => {
        if (settled) return
        if (msg !== 'ready') msg.forEach((outcome, k) => finish(batch[k]!, outcome))
        send()
      })
      worker.on('error', (e) => end(e))
      worker.on('exit', (code) => {
        if (!settled && !stopping && code !== 0) end(new Error(`scan worker exited with code ${code}`))
      })
    })
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, Math.ceil(tasks.length / BATCH))) }, run))
  return results
}
