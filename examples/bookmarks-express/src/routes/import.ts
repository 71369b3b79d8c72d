import { Router } from 'express'
import type { WebSocket } from 'ws'
import { db } from '../db.js'
import { HttpError, requireUser, userOf } from '../http.js'
import { insertBookmark } from '../store.js'

type ImportEvent = { type: 'progress'; id: number; done: number; total: number } | { type: 'done'; id: number; imported: number }
interface Job { events: ImportEvent[]; listeners: Set<(e: ImportEvent) => void> }
const jobs = new Map<number, Job>()

function emit(job: Job, event: ImportEvent): void {
  job.events.push(event)
  for (const listener of job.listeners) listener(event)
}

// Imports run in the background, one URL every few milliseconds (no network: the title is the host).
function run(id: number, userId: number, urls: string[], job: Job): void {
  let done = 0
  const step = (): void => {
    const url = urls[done]!
    insertBookmark(userId, { url, title: new URL(url).hostname, tags: ['imported'] })
    done++
    db.prepare('UPDATE import_jobs SET progress = ? WHERE id = ?').run(done, id)
    emit(job, { type: 'progress', id, done, total: urls.length })
    if (done < urls.length) setTimeout(step, 5)
    else {
      db.prepare('UPDATE import_jobs SET finished_at = ? WHERE id = ?').run(new Date().toISOString(), id)
      emit(job, { type: 'done', id, imported: done })
    }
  }
  setTimeout(step, 5)
}

/** Follows one import: every event so far, then the live ones, until `done`. */
function follow(id: number, send: (e: ImportEvent) => void, end: () => void): boolean {
  const job = jobs.get(id)
  if (!job) return false
  const on = (e: ImportEvent): void => {
    send(e)
    if (e.type === 'done') {
      job.listeners.delete(on)
      end()
    }
  }
  for (const e of job.events) on(e)
  if (job.events.at(-1)?.type !== 'done') job.listeners.add(on)
  return true
}

/** `/ws/import?id=N`: the import's progress as JSON text messages, then the socket closes. */
export function streamImport(socket: WebSocket, url: string): void {
  const id = Number(new URL(url, 'http://localhost').searchParams.get('id'))
  const found = follow(id, (e) => socket.send(JSON.stringify(e)), () => socket.close(1000, 'done'))
  if (!found) {
    socket.send(JSON.stringify({ type: 'error', error: 'import not found' }))
    socket.close(4404, 'import not found')
  }
}

const router = Router()
router.post('/', requireUser, (req, res) => {
  const urls: unknown = req.body?.urls
  if (!Array.isArray(urls) || urls.length === 0 || urls.length > 500) throw new HttpError(400, 'urls must be a list of 1 to 500 URLs')
  for (const u of urls) if (typeof u !== 'string' || !URL.canParse(u)) throw new HttpError(400, `not a URL: ${String(u)}`)
  const { lastInsertRowid } = db.prepare('INSERT INTO import_jobs (user_id, total) VALUES (?, ?)').run(userOf(res), urls.length)
  const id = Number(lastInsertRowid)
  const job: Job = { events: [], listeners: new Set() }
  jobs.set(id, job)
  run(id, userOf(res), urls as string[], job)
  res.status(202).json({ id, total: urls.length, progress: `/ws/import?id=${id}` })
})
// The same progress as server-sent events, for clients without WebSocket.
router.get('/:id/events', requireUser, (req, res) => {
  const id = Number(req.params.id)
  if (!jobs.has(id)) throw new HttpError(404, 'import not found')
  res.setHeader('Content-Type', 'text/event-stream')
  follow(id, (e) => res.write(`data: ${JSON.stringify(e)}\n\n`), () => res.end())
})
export default router
