import { Router } from 'express'
import { db } from '../db.js'
import { HttpError, requireString, requireUser, userOf } from '../http.js'
import { findBookmark, toBookmark, type BookmarkRow } from '../store.js'

interface CollectionRow { id: number; name: string; created_at: string; count: number }
const findCollection = (userId: number, id: string): CollectionRow | undefined =>
  db.prepare(`SELECT c.id, c.name, c.created_at, (SELECT COUNT(*) FROM collection_bookmarks WHERE collection_id = c.id) AS count
    FROM collections c WHERE c.id = ? AND c.user_id = ?`).get(id, userId) as CollectionRow | undefined
const toCollection = (c: CollectionRow) => ({ id: c.id, name: c.name, bookmarkCount: c.count, createdAt: c.created_at })

const router = Router()
router.use(requireUser)
router.get('/', (_req, res) => {
  const rows = db.prepare(`SELECT c.id, c.name, c.created_at, (SELECT COUNT(*) FROM collection_bookmarks WHERE collection_id = c.id) AS count
    FROM collections c WHERE c.user_id = ? ORDER BY c.id`).all(userOf(res)) as CollectionRow[]
  // The count for clients that page; the Fastify rewrite does not send it yet (the demo's header difference).
  res.setHeader('x-total-count', String(rows.length))
  res.json(rows.map(toCollection))
})
router.post('/', (req, res) => {
  const name = requireString(req.body, 'name')
  const { lastInsertRowid } = db.prepare('INSERT INTO collections (user_id, name, created_at) VALUES (?, ?, ?)').run(userOf(res), name, new Date().toISOString())
  res.status(201).json(toCollection(findCollection(userOf(res), String(lastInsertRowid))!))
})
router.get('/:id', (req, res) => {
  const c = findCollection(userOf(res), req.params.id)
  if (!c) throw new HttpError(404, 'collection not found')
  const rows = db.prepare(`SELECT b.id, b.url, b.title, b.archived, b.created_at FROM bookmarks b
    JOIN collection_bookmarks cb ON cb.bookmark_id = b.id WHERE cb.collection_id = ? ORDER BY b.rowid`).all(c.id) as BookmarkRow[]
  res.json({ ...toCollection(c), bookmarks: rows.map(toBookmark) })
})
router.post('/:id/bookmarks', (req, res) => {
  const c = findCollection(userOf(res), req.params.id)
  if (!c) throw new HttpError(404, 'collection not found')
  const bookmarkId = requireString(req.body, 'bookmarkId')
  if (!findBookmark(userOf(res), bookmarkId)) throw new HttpError(404, 'bookmark not found')
  db.prepare('INSERT OR IGNORE INTO collection_bookmarks (collection_id, bookmark_id) VALUES (?, ?)').run(c.id, bookmarkId)
  res.status(201).json(toCollection(findCollection(userOf(res), req.params.id)!))
})
router.delete('/:id/bookmarks/:bookmarkId', (req, res) => {
  const c = findCollection(userOf(res), req.params.id)
  if (!c) throw new HttpError(404, 'collection not found')
  db.prepare('DELETE FROM collection_bookmarks WHERE collection_id = ? AND bookmark_id = ?').run(c.id, req.params.bookmarkId)
  res.status(204).end()
})
export default router
