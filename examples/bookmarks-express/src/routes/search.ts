import { Router } from 'express'
import { db } from '../db.js'
import { HttpError, requireUser, userOf } from '../http.js'
import { toBookmark, type BookmarkRow } from '../store.js'

const matching = (userId: number, q: string, limit: number): BookmarkRow[] =>
  db.prepare(`SELECT id, url, title, archived, created_at FROM bookmarks
    WHERE user_id = ? AND (title LIKE ? OR url LIKE ?) ORDER BY rowid LIMIT ?`).all(userId, `%${q}%`, `%${q}%`, limit) as BookmarkRow[]

const router = Router()
router.use(requireUser)
router.get('/', (req, res) => {
  const q = typeof req.query.q === 'string' ? req.query.q.trim() : ''
  if (!q) throw new HttpError(400, 'q is required')
  const results = matching(userOf(res), q, 50).map(toBookmark)
  res.json({ q, total: results.length, results })
})
router.get('/suggest', (req, res) => {
  const q = typeof req.query.q === 'string' ? req.query.q.trim() : ''
  res.json(q ? matching(userOf(res), q, 5).map((b) => b.title ?? b.url) : [])
})
export default router
