/**
 * A writer process for the history tests: `node --import tsx history-writer.ts FILE MODE [N] [TAG]`.
 * `append`: opens the store, prints `ready`, waits for a line on stdin, appends N runs, prints their ids.
 * `hold`: appends one run but stops inside its transaction (prints `holding`) until it is killed.
 */
import { openHistory } from '../../src/store/history.js'
import { makeRun } from './history-runs.js'

const [file, mode, count = '1', tag = 'w'] = process.argv.slice(2)
const store = openHistory(file!)

if (mode === 'hold') {
  store.append(makeRun({ 'GET /held': 'ported' }, { tag }), {
    beforeCommit: () => {
      process.stdout.write('holding\n')
      // Block this thread for good: the transaction stays open until SIGKILL.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
    },
  })
} else {
  process.stdout.write('ready\n')
  process.stdin.once('data', () => {
    const ids: string[] = []
    for (let i = 0; i < Number(count); i++)
      ids.push(store.append(makeRun({ 'GET /a': 'ported', 'GET /b': i % 2 ? 'ported' : 'missing' }, { tag: `${tag}-${i}` })))
    store.close()
    process.stdout.write(`${JSON.stringify(ids)}\n`)
    process.exit(0)
  })
}
