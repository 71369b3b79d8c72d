import { Router } from 'express'
import { db } from '../db.js'
import { HttpError, requireString, requireUser, userOf } from '../http.js'

const router = Router()
router.use(requireUser)
// The user's tags with how many bookmarks carry each, by name.
router.get('/', (_req, res) => {
  res.json(db.prepare(`SELECT t.tag AS name, COUNT(*) AS count FROM bookmark_tags t JOIN bookmarks b ON b.id = t.bookmark_id
    WHERE b.user_id = ? GROUP BY t.tag ORDER BY t.tag`).all(userOf(res)))
})
router.put('/:name', (req, res) => {
  const to = requireString(req.body, 'name').toLowerCase()
  const renamed = db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO tags (name) VALUES (?)').run(to)
    return db.prepare(`UPDATE OR IGNORE bookmark_tags SET tag = ? WHERE tag = ? AND bookmark_id IN (SELECT id FROM bookmarks WHERE user_id = ?)`)
      .run(to, req.params.name, userOf(res)).changes
  })()
  if (!renamed) throw new HttpError(404, 'tag not found')
  res.json({ name: to, count: renamed })
})
router.delete('/:name', (req, res) => {
  const removed = db.prepare('DELETE FROM bookmark_tags WHERE tag = ? AND bookmark_id IN (SELECT id FROM bookmarks WHERE user_id = ?)')
    .run(req.params.name, userOf(res)).changes
  if (!removed) throw new HttpError(404, 'tag not found')
  res.status(204).end()
})
export default router
