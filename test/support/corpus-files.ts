/** Corpus files written by the tests: whole, or a line at a time as concurrent writers would. */
import { appendFileSync, renameSync, writeFileSync } from 'node:fs'
import type { Exchange } from '../../src/model/exchange.js'

/** Writes exchanges as NDJSON, replacing the file whole (through a temporary file and a rename). */
export function writeNdjson(path: string, exchanges: Iterable<Exchange>): void {
  const tmp = `${path}.${process.pid}.tmp`
  let text = ''
  for (const x of exchanges) text += `${JSON.stringify(x)}\n`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

/** Appends exchanges to an NDJSON file in one synchronous append, so lines of concurrent writers never interleave. */
export function appendNdjson(path: string, exchanges: Exchange | Exchange[]): void {
  const list = Array.isArray(exchanges) ? exchanges : [exchanges]
  if (list.length === 0) return
  appendFileSync(path, list.map((x) => `${JSON.stringify(x)}\n`).join(''))
}
