/**
 * The history store: every run appended to one SQLite file (`.parity/history.sqlite`), read back
 * as a trend and as the life of each item. The only place with SQL for the history.
 *
 * WAL mode lets readers go on while a run writes; each append is one IMMEDIATE transaction, so a
 * run killed mid-write leaves nothing behind, and a busy timeout makes two runs at once wait for
 * each other. A file that is not a parity history is refused and never written to.
 */
import { upgradeRun } from './upgrade.js'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { ParityError } from '../model/errors.js'
import type { History, HistoryRun, ItemHistory } from '../model/history.js'
import type { PairStatus, RunResult, Summary } from '../model/run.js'

/** Where `parity run` keeps its history, relative to the working folder. */
export const DEFAULT_HISTORY_FILE = '.parity/history.sqlite'

/** The schema this code writes and reads; a file with a higher version is refused. */
export const HISTORY_SCHEMA_VERSION = 1
const SCHEMA_NAME = 'parity.history'
const SQLITE_MAGIC = 'SQLite format 3\0'
/** How long a writer waits for another one before giving up. */
const BUSY_TIMEOUT_MS = 30_000

/** The status of one item in one run, for the timeline of an item. */
export interface ItemStatusAt {
  run: string
  at: string
  kind: string
  key: string
  candidate: string
  status: PairStatus
}

export interface AppendOptions {
  /** Called inside the transaction, before the commit (crash tests hold the transaction open here). */
  beforeCommit?: () => void
}

export interface HistoryStore {
  /** The file, as given. */
  readonly file: string
  /** Stores the run (whole RunResult, its summary, one status row per item and candidate) in one transaction; returns its id. */
  append(run: RunResult, options?: AppendOptions): string
  /** Oldest first. */
  runs(): HistoryRun[]
  /** The stored RunResult, with `id` set. */
  get(id: string): RunResult | undefined
  /** The last run appended (before appending the current one: the previous run). */
  latest(): RunResult | undefined
  /**
   * The runs and, for each item of the latest run (by candidate), its current status, the first run
   * where it was ported or verified, and the last run where its status changed (appearing counts).
   */
  history(): History
  /** Every stored status of the items with this key, oldest run first. */
  timeline(key: string): ItemStatusAt[]
  close(): void
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS parity_schema (
  name TEXT NOT NULL PRIMARY KEY,
  version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  started_at TEXT NOT NULL,
  git_commit TEXT,
  git_branch TEXT,
  summary TEXT NOT NULL,
  candidates TEXT NOT NULL,
  production_ready INTEGER
);
CREATE TABLE IF NOT EXISTS run_results (
  seq INTEGER PRIMARY KEY REFERENCES runs(seq) ON DELETE CASCADE,
  result TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS item_status (
  run_seq INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  candidate TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (kind, key, candidate, run_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_status_by_key ON item_status (key, run_seq);
`

function invalid(file: string, why: string): ParityError {
  return new ParityError(
    'HISTORY_INVALID',
    `${file} is not a parity history (${why})`,
    'move it aside or pass another file with --store; parity never overwrites it',
  )
}

/** Reads the first bytes: anything but an empty file or an SQLite database is refused before SQLite touches it. */
function checkHeader(file: string): void {
  let size: number
  try {
    const st = statSync(file)
    if (!st.isFile()) throw invalid(file, 'not a file')
    size = st.size
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
    throw e instanceof ParityError ? e : new ParityError('READ_ERROR', `cannot read ${file}: ${(e as Error).message}`, 'check the path and its permissions')
  }
  if (size === 0) return
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(16)
    const n = readSync(fd, head, 0, 16, 0)
    if (n < 16 || head.toString('latin1') !== SQLITE_MAGIC) throw invalid(file, 'not an SQLite database')
  } finally {
    closeSync(fd)
  }
}

function newRunId(): string {
  // Sortable and safe in file names: 2025-05-01T12-30-45.123Z-a1b2c3
  return `${new Date().toISOString().replaceAll(':', '-')}-${randomBytes(3).toString('hex')}`
}

/** One status per (item, candidate): the matrix when there are several candidates, else the pair's own. */
function itemStatuses(run: RunResult): Array<{ kind: string; key: string; candidate: string; status: PairStatus }> {
  const rows = new Map<string, { kind: string; key: string; candidate: string; status: PairStatus }>()
  for (const pair of run.pairs) {
    const cells = pair.matrix ? Object.entries(pair.matrix).map(([c, cell]) => [c, cell.status] as const) : [[pair.candidateSystem, pair.status] as const]
    for (const [candidate, status] of cells) rows.set(`${pair.kind}\0${pair.key}\0${candidate}`, { kind: pair.kind, key: pair.key, candidate, status })
  }
  return [...rows.values()]
}

interface RunRow {
  seq: number
  id: string
  started_at: string
  git_commit: string | null
  git_branch: string | null
  summary: string
  candidates: string
  production_ready: number | null
  /** A JSON object, name -> value (`{}` when the run had no objectives). */
  objectives: string | null
}

function toHistoryRun(row: RunRow): HistoryRun {
  return {
    id: row.id,
    startedAt: row.started_at,
    ...(row.git_commit ? { commit: row.git_commit } : {}),
    ...(row.git_branch ? { branch: row.git_branch } : {}),
    summary: JSON.parse(row.summary) as Summary,
    candidates: JSON.parse(row.candidates) as Record<string, Summary>,
    productionReady: row.production_ready === null ? null : row.production_ready === 1,
    objectives: row.objectives ? (JSON.parse(row.objectives) as Record<string, number | null>) : {},
  }
}

function wrapSqliteError(file: string, e: unknown): unknown {
  if (e instanceof ParityError) return e
  const code = (e as { code?: string }).code ?? ''
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return invalid(file, 'the database is damaged')
  if (code === 'SQLITE_BUSY')
    return new ParityError('HISTORY_BUSY', `${file} stayed locked by another run`, 'wait for the other parity run to finish, then run again')
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM')
    return new ParityError(
      'HISTORY_UNWRITABLE',
      `cannot write ${file}: ${(e as Error).message}`,
      'make the file and its folder writable, or pass another file with --store',
    )
  return e
}

/**
 * Opens the history in `file`, creating the file and its folder when absent. Throws a ParityError
 * naming the path when the file is not a parity history or was written by a newer parity.
 */
export function openHistory(file: string): HistoryStore {
  checkHeader(file)
  try {
    mkdirSync(dirname(file), { recursive: true })
  } catch (e) {
    throw new ParityError(
      'HISTORY_UNWRITABLE',
      `cannot create the folder of ${file}: ${(e as Error).message}`,
      'make the folder writable, or pass another file with --store',
    )
  }
  let db: Database.Database
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS })
  } catch (e) {
    throw wrapSqliteError(file, e)
  }
  try {
    // Identify before any write: a foreign database is never converted to WAL nor given our tables.
    const found = checkIdentity(db, file)
    // Damage past the pages read so far shows only when a run writes, after all its work: look first.
    if (found !== 'empty') {
      let verdict: unknown
      try {
        verdict = db.pragma('quick_check', { simple: true })
      } catch (e) {
        verdict = (e as Error).message
      }
      if (verdict !== 'ok') {
        throw new ParityError(
          'HISTORY_DAMAGED',
          `${file} is damaged (SQLite's quick check: ${String(verdict).split('\n')[0]}); nothing was run`,
          `move it aside (\`mv ${file} ${file}.damaged\`) and run again: parity starts a new history; \`sqlite3 ${file}.damaged .recover\` gets back what can be read`,
        )
      }
    }
    // Only a new file takes the write lock here, so opening never waits for a run that is writing.
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    if (found === 'empty')
      db.transaction(() => {
        // Checked again under the write lock: another process may have created the tables meanwhile.
        if (checkIdentity(db, file) === 'empty') {
          db.exec(SCHEMA)
          db.prepare('INSERT INTO parity_schema (name, version) VALUES (?, ?)').run(SCHEMA_NAME, HISTORY_SCHEMA_VERSION)
        }
      }).immediate()
  } catch (e) {
    db.close()
    throw wrapSqliteError(file, e)
  }
  return createStore(db, file)
}

function checkIdentity(db: Database.Database, file: string): 'empty' | 'parity' {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]
  if (tables.length === 0) return 'empty'
  if (!tables.includes('parity_schema')) throw invalid(file, `it holds other tables: ${tables.slice(0, 3).join(', ')}`)
  const row = db.prepare('SELECT version FROM parity_schema WHERE name = ?').get(SCHEMA_NAME) as { version: number } | undefined
  if (!row) throw invalid(file, 'no parity schema version')
  if (row.version > HISTORY_SCHEMA_VERSION)
    throw new ParityError(
      'HISTORY_NEWER',
      `${file} was written by a newer parity (history schema ${row.version}; this parity reads ${HISTORY_SCHEMA_VERSION})`,
      'upgrade parity to read it, or pass another file with --store',
    )
  return 'parity'
}

function createStore(db: Database.Database, file: string): HistoryStore {
  const insertRun = db.prepare(
    `INSERT INTO runs (id, started_at, git_commit, git_branch, summary, candidates, production_ready)
     VALUES (@id, @startedAt, @commit, @branch, @summary, @candidates, @productionReady)`,
  )
  const insertResult = db.prepare('INSERT INTO run_results (seq, result) VALUES (?, ?)')
  const insertStatus = db.prepare('INSERT INTO item_status (run_seq, kind, key, candidate, status) VALUES (?, ?, ?, ?, ?)')
  // Objective values come out of the stored assessment, so stores written before objectives existed read as they are.
  const selectRuns = db.prepare(
    `SELECT runs.*, (
       SELECT json_group_object(json_extract(g.value, '$.objective'), json_extract(g.value, '$.actual'))
       FROM json_each(r.result, '$.assessment.gates') g WHERE json_extract(g.value, '$.objective') IS NOT NULL
     ) AS objectives
     FROM runs LEFT JOIN run_results r ON r.seq = runs.seq ORDER BY runs.seq`,
  )
  const selectResult = db.prepare('SELECT r.result FROM run_results r JOIN runs ON runs.seq = r.seq WHERE runs.id = ?').pluck()
  const selectLatest = db.prepare('SELECT result FROM run_results ORDER BY seq DESC LIMIT 1').pluck()
  const selectStatuses = db.prepare('SELECT run_seq, kind, key, candidate, status FROM item_status ORDER BY kind, key, candidate, run_seq')
  const selectTimeline = db.prepare(
    `SELECT runs.id AS run, runs.started_at AS at, s.kind, s.key, s.candidate, s.status
     FROM item_status s JOIN runs ON runs.seq = s.run_seq WHERE s.key = ? ORDER BY s.run_seq, s.kind, s.candidate`,
  )

  const guard = <T>(f: () => T): T => {
    try {
      return f()
    } catch (e) {
      throw wrapSqliteError(file, e)
    }
  }

  const append = (run: RunResult, options: AppendOptions = {}): string =>
    guard(() =>
      db
        .transaction(() => {
          // The id is taken under the write lock, so ids of one store sort in the order of their runs.
          const id = newRunId()
          const gates = run.assessment?.gates.length ?? 0
          const { lastInsertRowid } = insertRun.run({
            id,
            startedAt: run.startedAt,
            commit: run.git?.commit ?? null,
            branch: run.git?.branch ?? null,
            summary: JSON.stringify(run.summary),
            candidates: JSON.stringify(run.candidates),
            productionReady: gates > 0 ? (run.assessment!.verdict.productionReady ? 1 : 0) : null,
          })
          const seq = Number(lastInsertRowid)
          insertResult.run(seq, JSON.stringify({ ...run, id }))
          for (const s of itemStatuses(run)) insertStatus.run(seq, s.kind, s.key, s.candidate, s.status)
          options.beforeCommit?.()
          return id
        })
        .immediate(),
    )

  const runs = (): HistoryRun[] => guard(() => (selectRuns.all() as RunRow[]).map(toHistoryRun))

  const history = (): History =>
    guard(() =>
      db
        .transaction(() => {
          // One read transaction: the runs and the statuses come from the same snapshot.
          const rows = selectRuns.all() as RunRow[]
          const runList = rows.map(toHistoryRun)
          const bySeq = new Map(rows.map((r, i) => [r.seq, i]))
          const last = rows.length - 1
          const items: ItemHistory[] = []
          type Status = { run_seq: number; kind: string; key: string; candidate: string; status: PairStatus }
          let group: Status[] = []
          const flush = () => {
            const end = group.at(-1)
            if (!end || bySeq.get(end.run_seq) !== last) return // only items of the latest run
            let firstPorted: ItemHistory['firstPorted']
            let changed = group[0]!
            for (let i = 0; i < group.length; i++) {
              const s = group[i]!
              if (!firstPorted && (s.status === 'ported' || s.status === 'verified')) firstPorted = at(s.run_seq)
              const prev = group[i - 1]
              // Absent from the run before counts as a change (it appeared, or came back).
              if (prev && (prev.status !== s.status || bySeq.get(prev.run_seq)! !== bySeq.get(s.run_seq)! - 1)) changed = s
            }
            items.push({
              key: end.key,
              candidate: end.candidate,
              status: end.status,
              ...(firstPorted ? { firstPorted } : {}),
              lastChanged: at(changed.run_seq),
            })
          }
          const at = (seq: number) => {
            const r = runList[bySeq.get(seq)!]!
            return { run: r.id, at: r.startedAt }
          }
          for (const s of selectStatuses.iterate() as IterableIterator<Status>) {
            const head = group[0]
            if (head && (head.kind !== s.kind || head.key !== s.key || head.candidate !== s.candidate)) {
              flush()
              group = []
            }
            group.push(s)
          }
          flush()
          return { runs: runList, items }
        })
        .deferred(),
    )

  return {
    file,
    append,
    runs,
    get: (id) =>
      guard(() => {
        const json = selectResult.get(id) as string | undefined
        return json === undefined ? undefined : upgradeRun(JSON.parse(json) as RunResult)
      }),
    latest: () =>
      guard(() => {
        const json = selectLatest.get() as string | undefined
        return json === undefined ? undefined : upgradeRun(JSON.parse(json) as RunResult)
      }),
    history,
    timeline: (key) => guard(() => selectTimeline.all(key) as ItemStatusAt[]),
    close: () => db.close(),
  }
}
