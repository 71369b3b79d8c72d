/** A scan worker: loads the extractors once, then processes batches of files sent by the pool. */
import { parentPort, workerData } from 'node:worker_threads'
import { loadExtractors } from '../extractors/load.js'
import { processFile, type FileTask } from './file.js'

const { abs, maxBytes, extractorModules } = workerData as { abs: string; maxBytes: number; extractorModules: string[] }
const extractors = await loadExtractors(extractorModules)
parentPort!.on('message', (batch: FileTask[]) => {
  parentPort!.postMessage(batch.map((task) => processFile(abs, task, maxBytes, extractors)))
})
parentPort!.postMessage('ready')
