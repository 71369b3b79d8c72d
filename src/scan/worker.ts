/** A scan worker: loads the extractors once, then processes batches of files sent by the pool. */
import { parentPort, workerData } from 'node:worker_threads'
import { loadExtractors } from '../extractors/load.js'
import type { Want } from './capability-facts.js'
import { processFile, type FileOutcome, type FileTask } from './file.js'

const { abs, maxBytes, extractorModules, progress, wantLists } = workerData as {
  abs: string
  maxBytes: number
  extractorModules: string[]
  progress: Int32Array
  wantLists: Want[][]
}
const extractors = await loadExtractors(extractorModules)
parentPort!.on('message', (batch: FileTask[]) => {
  const outcomes = batch.map((task) => {
    // The pool's watchdog reads this: the same count for longer than the budget is a stuck file.
    Atomics.add(progress, 0, 1)
    return processFile(abs, task, maxBytes, extractors, wantLists)
  })
  try {
    parentPort!.postMessage(outcomes)
  } catch {
    // An extractor returned something that is not plain data (a syntax node, a function): drop
    // that file's facts and say so, rather than losing the batch.
    parentPort!.postMessage(outcomes.map((o, i) => cloneable(o, batch[i]!.rel)))
  }
})
parentPort!.postMessage('ready')

function cloneable(outcome: FileOutcome, rel: string): FileOutcome {
  try {
    structuredClone(outcome)
    return outcome
  } catch (e) {
    const { record: _dropped, ...rest } = outcome
    return {
      ...rest,
      diagnostics: [
        ...outcome.diagnostics,
        {
          level: 'warn',
          code: 'EXTRACTOR_ERROR',
          file: rel,
          message: `an extractor returned facts that are not plain data (${(e as Error).message.split('\n')[0]}); this file's routes are dropped`,
        },
      ],
    }
  }
}
