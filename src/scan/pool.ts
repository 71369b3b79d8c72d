/**
 * Per-file work spread over worker threads: each worker parses and extracts whole files, the main
 * thread only walks, resolves and reports. Results keep the walk's order, so the output does not
 * depend on which worker finished first.
 */
import { Worker } from 'node:worker_threads'
import type { FileOutcome, FileTask } from './file.js'

const BATCH = 32

export async function processInWorkers(
  abs: string,
  tasks: FileTask[],
  maxBytes: number,
  extractorModules: string[],
  jobs: number,
  onProgress?: (done: number, total: number) => void,
): Promise<FileOutcome[]> {
  const results: FileOutcome[] = new Array(tasks.length)
  let next = 0
  let done = 0
  const workerUrl = new URL('./worker.js', import.meta.url)
  const run = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: { abs, maxBytes, extractorModules } })
      let start = -1
      const send = () => {
        if (next >= tasks.length) {
          void worker.terminate().then(() => resolve())
          return
        }
        start = next
        next = Math.min(tasks.length, next + BATCH)
        worker.postMessage(tasks.slice(start, next))
      }
      worker.on('message', (msg: FileOutcome[] | 'ready') => {
        if (msg !== 'ready') {
          msg.forEach((outcome, i) => (results[start + i] = outcome))
          done += msg.length
          onProgress?.(done, tasks.length)
        }
        send()
      })
      worker.on('error', reject)
      worker.on('exit', (code) => {
        if (code !== 0 && next < tasks.length) reject(new Error(`scan worker exited with code ${code}`))
      })
    })
  await Promise.all(Array.from({ length: Math.min(jobs, Math.ceil(tasks.length / BATCH)) }, run))
  return results
}
