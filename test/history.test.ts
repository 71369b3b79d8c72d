/**
 * The history store on real SQLite files in temp folders, with real writer processes (two at once,
 * one killed inside its transaction), and `parity history` spawned from the built CLI.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/model/run.js'
import { openHistory } from '../src/store/history.js'
import { makeRun } from './support/history-runs.js'

const repo = new URL('..', import.meta.url).pathname
const bin = join(repo, 'bin/parity.js')
const writer = join(repo, 'test/support/history-writer.ts')
const tmp = mkdtempSync(join(tmpdir(), 'parity-history-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
let n = 0
const freshFile = () => join(tmp, `case-${++n}`, '.parity', 'history.sqlite')

function parity(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function startWriter(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', writer, ...args], { cwd: repo })
}

/** Resolves with the child's stdout once a line equal to `line` was printed. */
function waitForLine(child: ChildProcessWithoutNullStreams, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.stdout.on('data', (d) => {
      out += d
      if (out.split('\n').includes(line)) resolve(out)
    })
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before printing ${line}: ${err}`)))
  })
}

function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

describe('history store', () => {
  it('creates the file and its folder, and gives back the RunResult of a real diff', () => {
    const diff = parity(['diff', '--format', 'json'], join(repo, 'fixtures/examples-static'))
    expect(diff.code, diff.stderr).toBe(0)
    const run = JSON.parse(diff.stdout) as RunResult
    const file = freshFile()
    const store = openHistory(file)
    expect(existsSync(file)).toBe(true)
    const id = store.append(run)
    expect(id).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{6}$/)
    expect(store.get(id)).toEqual({ ...run, id })
    expect(store.latest()).toEqual({ ...run, id })
    expect(store.get('no-such-run')).toBeUndefined()
    const [stored] = store.runs()
    expect(stored).toEqual({ id, startedAt: run.startedAt, summary: run.summary, candidates: run.candidates, productionReady: null, objectives: {} })
    // One status per pair of the run, for its single candidate.
    expect(store.history().items.length).toBe(new Set(run.pairs.map((p) => `${p.kind} ${p.key}`)).size)
    store.close()
    // Reopened: same content, in WAL mode.
    const again = openHistory(file)
    expect(again.runs().map((r) => r.id)).toEqual([id])
    again.close()
    const raw = new Database(file, { readonly: true })
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()
  })

  it('keeps the trend and the life of an item over three runs: missing, ported, missing', () => {
    const store = openHistory(freshFile())
    expect(store.latest()).toBeUndefined()
    expect(store.history()).toEqual({ runs: [], items: [] })
    const ids = [
      store.append(makeRun({ 'GET /a': 'ported', 'GET /b': 'missing' }, { commit: 'aaaaaaa1111', startedAt: '2025-03-01T10:00:00.000Z' })),
      store.append(
        makeRun({ 'GET /a': 'ported', 'GET /b': 'ported' }, { commit: 'bbbbbbb2222', startedAt: '2025-03-02T10:00:00.000Z', productionReady: true }),
      ),
      store.append(
        makeRun({ 'GET /a': 'ported', 'GET /b': 'missing' }, { commit: 'ccccccc3333', startedAt: '2025-03-03T10:00:00.000Z', productionReady: false }),
      ),
    ]
    expect(new Set(ids).size).toBe(3)
    const h = store.history()
    expect(h.runs.map((r) => [r.id, r.commit, r.summary.percent, r.productionReady])).toEqual([
      [ids[0], 'aaaaaaa1111', 50, null],
      [ids[1], 'bbbbbbb2222', 100, true],
      [ids[2], 'ccccccc3333', 50, false],
    ])
    const b = h.items.find((i) => i.key === 'GET /b')
    expect(b).toEqual({
      key: 'GET /b',
      candidate: 'rewrite',
      status: 'missing',
      firstPorted: { run: ids[1], at: '2025-03-02T10:00:00.000Z' },
      lastChanged: { run: ids[2], at: '2025-03-03T10:00:00.000Z' },
    })
    const a = h.items.find((i) => i.key === 'GET /a')
    expect(a?.firstPorted?.run).toBe(ids[0])
    expect(a?.lastChanged.run).toBe(ids[0])
    expect(store.timeline('GET /b').map((t) => t.status)).toEqual(['missing', 'ported', 'missing'])
    expect(store.latest()?.id).toBe(ids[2])
    store.close()
  })

  it('counts an item that left and came back as changed, and lists only items of the latest run', () => {
    const store = openHistory(freshFile())
    const ids = [
      store.append(makeRun({ 'GET /a': 'ported', 'GET /gone': 'missing' })),
      store.append(makeRun({ 'GET /x': 'missing' })),
      store.append(makeRun({ 'GET /a': 'ported', 'GET /x': 'missing' })),
    ]
    const items = store.history().items
    expect(items.map((i) => i.key)).toEqual(['GET /a', 'GET /x'])
    expect(items[0]!.lastChanged.run).toBe(ids[2])
    expect(items[0]!.firstPorted?.run).toBe(ids[0])
    expect(items[1]!.lastChanged.run).toBe(ids[1])
    store.close()
  })

  it('two writer processes at once leave all 40 runs readable', async () => {
    const file = freshFile()
    openHistory(file).close()
    const children = [startWriter([file, 'append', '20', 'one']), startWriter([file, 'append', '20', 'two'])]
    const done = children.map(exited)
    await Promise.all(children.map((c) => waitForLine(c, 'ready')))
    for (const c of children) c.stdin.write('go\n')
    const results = await Promise.all(done)
    for (const r of results) expect(r.code, r.stderr).toBe(0)
    const written = results.flatMap((r) => JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('['))!) as string[])
    expect(new Set(written).size).toBe(40)
    const store = openHistory(file)
    const runs = store.runs()
    expect(runs.map((r) => r.id).sort()).toEqual([...written].sort())
    for (const id of written) expect(store.get(id)?.pairs.length).toBe(2)
    // Each writer's runs keep their own order.
    for (const tag of ['one', 'two']) {
      const mine = runs.map((r) => store.get(r.id)!.config!).filter((c) => c.startsWith(`${tag}-`))
      expect(mine).toEqual(Array.from({ length: 20 }, (_, i) => `${tag}-${i}`))
    }
    expect(store.timeline('GET /b')).toHaveLength(40)
    store.close()
  })

  it('a writer killed inside its transaction leaves the earlier runs intact and the store usable', async () => {
    const file = freshFile()
    const store = openHistory(file)
    const before = [store.append(makeRun({ 'GET /a': 'ported' })), store.append(makeRun({ 'GET /a': 'missing' }))]
    const child = startWriter([file, 'hold'])
    const ended = exited(child)
    await waitForLine(child, 'holding')
    // While the writer holds its transaction, readers see the committed runs only, and a new reader opens.
    expect(store.runs().map((r) => r.id)).toEqual(before)
    const reader = openHistory(file)
    expect(reader.latest()?.id).toBe(before[1])
    reader.close()
    child.kill('SIGKILL')
    expect((await ended).signal).toBe('SIGKILL')
    expect(store.runs().map((r) => r.id)).toEqual(before)
    expect(store.timeline('GET /held')).toEqual([])
    const after = store.append(makeRun({ 'GET /a': 'ported' }))
    store.close()
    const reopened = openHistory(file)
    expect(reopened.runs().map((r) => r.id)).toEqual([...before, after])
    expect(reopened.get(before[0]!)?.summary.ported).toBe(1)
    reopened.close()
  })
})

describe('files that are not a parity history', () => {
  function refused(file: string, pattern: RegExp) {
    const bytes = readFileSync(file)
    let error: unknown
    try {
      openHistory(file).close()
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ name: 'ParityError', message: expect.stringContaining(file), hint: expect.any(String) })
    expect((error as Error).message).toMatch(pattern)
    expect(readFileSync(file).equals(bytes)).toBe(true)
    expect(existsSync(`${file}-wal`)).toBe(false)
  }
  const place = (name: string) => {
    const dir = join(tmp, `bad-${++n}`)
    mkdirSync(dir, { recursive: true })
    return join(dir, name)
  }

  it('refuses garbage bytes, naming the path, and leaves the bytes alone', () => {
    const file = place('history.sqlite')
    writeFileSync(file, Buffer.from('this is not a database, just some notes a person keeps\n'.repeat(40)))
    refused(file, /not a parity history \(not an SQLite database\)/)
  })

  it('refuses an SQLite file with its header and damaged pages', () => {
    const file = place('history.sqlite')
    const bytes = Buffer.alloc(8192, 0xa5)
    bytes.write('SQLite format 3\0', 0, 'latin1')
    writeFileSync(file, bytes)
    refused(file, /not a parity history/)
  })

  it('checks a history before any stage runs: damage in its later pages is an error up front, with the fix', () => {
    const file = freshFile()
    const store = openHistory(file)
    for (let i = 0; i < 30; i++) store.append(makeRun({ [`GET /r${i}`]: 'ported', 'GET /x': 'missing' }))
    store.close()
    const raw = new Database(file)
    raw.pragma('wal_checkpoint(TRUNCATE)')
    const pageSize = raw.pragma('page_size', { simple: true }) as number
    raw.close()
    rmSync(`${file}-wal`, { force: true })
    rmSync(`${file}-shm`, { force: true })
    const bytes = readFileSync(file)
    // A page past the schema, overwritten: the header and the tables still read.
    const page = Math.floor(bytes.length / pageSize / 2)
    bytes.fill(0x5a, page * pageSize + 8, (page + 1) * pageSize)
    writeFileSync(file, bytes)
    let error: unknown
    try {
      openHistory(file).close()
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'HISTORY_DAMAGED', message: expect.stringContaining('nothing was run'), hint: expect.stringContaining(`mv ${file}`) })
    // `parity run` stops before its stages: no report is written.
    const dir = join(file, '..', '..')
    writeFileSync(
      join(dir, 'parity.config.yaml'),
      `systems:\n  - { name: a, role: baseline, source: ${join(repo, 'fixtures/diff/express-api')} }\n  - { name: b, role: candidate, source: ${join(repo, 'fixtures/diff/axum-api')} }\nreports: { json: out/run.json }\n`,
    )
    const r = parity(['run'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('is damaged')
    expect(existsSync(join(dir, 'out/run.json'))).toBe(false)
  })

  it('refuses another application’s SQLite database', () => {
    const file = place('app.db')
    const other = new Database(file)
    other.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users (email) VALUES ('a@example.com')")
    other.close()
    refused(file, /other tables: users/)
  })

  it('refuses a history written by a newer parity, with a hint to upgrade', () => {
    const file = freshFile()
    openHistory(file).close()
    const raw = new Database(file)
    raw.prepare('UPDATE parity_schema SET version = 99').run()
    raw.pragma('wal_checkpoint(TRUNCATE)')
    raw.close()
    rmSync(`${file}-wal`, { force: true })
    rmSync(`${file}-shm`, { force: true })
    const bytes = readFileSync(file)
    expect(() => openHistory(file)).toThrow(expect.objectContaining({ code: 'HISTORY_NEWER', hint: expect.stringContaining('upgrade parity') }))
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })
})

describe('parity history (built CLI)', () => {
  const file = freshFile()
  const ids: string[] = []
  {
    const store = openHistory(file)
    ids.push(
      store.append(makeRun({ 'GET /api/users/{}': 'missing', 'GET /health': 'ported' }, { commit: '1111111aaaa', startedAt: '2025-04-01T09:00:00.000Z' })),
    )
    ids.push(
      store.append(makeRun({ 'GET /api/users/{}': 'ported', 'GET /health': 'ported' }, { commit: '2222222bbbb', startedAt: '2025-04-02T09:00:00.000Z' })),
    )
    ids.push(
      store.append(makeRun({ 'GET /api/users/{}': 'missing', 'GET /health': 'ported' }, { commit: '3333333cccc', startedAt: '2025-04-03T09:00:00.000Z' })),
    )
    store.close()
  }

  it('prints the trend per run and the items with first ported and last changed', () => {
    const r = parity(['history', '--store', file])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    const row = (id: string) => lines.find((l) => l.endsWith(id))!.split(/\s{2,}/)
    // Run, date, commit, ported %, verified %, ported, verified, divergent, missing, excluded, extra, gates, id
    expect(row(ids[0]!)).toEqual(['#1', '2025-04-01 09:00', '1111111', '50%', '–', '1', '0', '0', '1', '0', '0', '–', ids[0]])
    expect(row(ids[1]!).slice(0, 4)).toEqual(['#2', '2025-04-02 09:00', '2222222', '100%'])
    const users = lines.find((l) => l.startsWith('GET /api/users/{}'))!.split(/\s{2,}/)
    expect(users).toEqual(['GET /api/users/{}', 'rewrite', 'missing', '#2 2025-04-02 09:00', '#3 2025-04-03 09:00'])
  })

  it('shows one item over the runs, found by the path as a person writes it', () => {
    const r = parity(['history', '--store', file, '--item', 'GET /api/users/:id'])
    expect(r.code, r.stderr).toBe(0)
    const statuses = r.stdout
      .split('\n')
      .filter((l) => /^#\d/.test(l))
      .map((l) => l.split(/\s{2,}/).at(-1))
    expect(statuses).toEqual(['missing', 'ported', 'missing'])
  })

  it('prints the history as JSON', () => {
    const r = parity(['history', '--store', file, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const h = JSON.parse(r.stdout)
    expect(h.runs.map((x: { id: string }) => x.id)).toEqual(ids)
    expect(h.items.find((i: { key: string }) => i.key === 'GET /api/users/{}').firstPorted.run).toBe(ids[1])
  })

  it('reports a missing store without creating it, and an unknown item with a hint', () => {
    const missing = join(tmp, 'nowhere', 'history.sqlite')
    const r = parity(['history', '--store', missing])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`no history at ${missing}`)
    expect(existsSync(missing)).toBe(false)
    const u = parity(['history', '--store', file, '--item', 'GET /nope'])
    expect(u.code).toBe(2)
    expect(u.stderr).toMatch(/no item `GET \/nope`[\s\S]*hint:/)
  })

  it('reads the store the config names when there is no --store', () => {
    const dir = join(tmp, 'with-config')
    mkdirSync(join(dir, 'old'), { recursive: true })
    mkdirSync(join(dir, 'new'), { recursive: true })
    writeFileSync(
      join(dir, 'parity.config.yaml'),
      'systems:\n  - { name: old, role: baseline, source: ./old }\n  - { name: new, role: candidate, source: ./new }\nhistory: store/runs.sqlite\n',
    )
    const store = openHistory(join(dir, 'store/runs.sqlite'))
    const id = store.append(makeRun({ 'GET /a': 'ported' }))
    store.close()
    const r = parity(['history', '--json'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).runs.map((x: { id: string }) => x.id)).toEqual([id])
  })

  it('refuses a file that is not a history, with the path and a hint', () => {
    const notes = join(tmp, 'notes.txt')
    writeFileSync(notes, 'hello\n'.repeat(10))
    const r = parity(['history', '--store', notes])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(new RegExp(`${notes.replaceAll('.', '\\.')} is not a parity history[\\s\\S]*hint:`))
    expect(readFileSync(notes, 'utf8')).toBe('hello\n'.repeat(10))
  })
})
