import { Router } from 'express'
import { db } from '../db.js'
import { HttpError, optionalTags, requireString, requireUser, userOf } from '../http.js'
import { findBookmark, insertBookmark, setTags, tagsOf, toBookmark, type BookmarkRow } from '../store.js'

const router = Router()
router.use(requireUser)
router.route('/')
  .get((req, res) => {
    const tag = typeof req.query.tag === 'string' ? req.query.tag : undefined
    const rows = (tag
      ? db.prepare('SELECT b.id, b.url, b.title, b.archived, b.created_at FROM bookmarks b JOIN bookmark_tags t ON t.bookmark_id = b.id WHERE b.user_id = ? AND t.tag = ? ORDER BY b.rowid').all(userOf(res), tag)
      : db.prepare('SELECT id, url, title, archived, created_at FROM bookmarks WHERE user_id = ? ORDER BY rowid').all(userOf(res))) as BookmarkRow[]
    res.json(rows.map(toBookmark))
  })
  .post((req, res) => {
    const id = insertBookmark(userOf(res), { url: requireString(req.body, 'url'), title: req.body?.title ?? null, tags: optionalTags(req.body) })
    res.status(201).json(toBookmark(findBookmark(userOf(res), id)!))
  })
router.post('/bulk', (req, res) => {
  const items: unknown = req.body?.bookmarks
  if (!Array.isArray(items) || items.length === 0) throw new HttpError(400, 'bookmarks must be a non-empty list')
  const inputs = items.map((item) => ({ url: requireString(item, 'url'), title: (item as { title?: string }).title ?? null, tags: optionalTags(item) }))
  const ids = db.transaction(() => inputs.map((input) => insertBookmark(userOf(res), input)))()
  res.status(201).json({ created: ids.length, ids })
})
router.delete('/bulk', (req, res) => {
  const ids: unknown = req.body?.ids
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new HttpError(400, 'ids must be a list of bookmark ids')
  const deleted = db.transaction(() =>
    (ids as string[]).filter((id) => db.prepare('DELETE FROM bookmarks WHERE id = ? AND user_id = ?').run(id, userOf(res)).changes > 0),
  )()
  res.json({ deleted: deleted.length, ids: deleted })
})
router.route('/:id')
  .get((req, res) => {
    const row = findBookmark(userOf(res), req.params.id)
    if (!row) throw new HttpError(404, 'bookmark not found')
    res.json(toBookmark(row))
  })
  .put((req, res) => {
    const row = findBookmark(userOf(res), req.params.id)
    if (!row) throw new HttpError(404, 'bookmark not found')
    const url = req.body?.url === undefined ? row.url : requireString(req.body, 'url')
    const title = req.body?.title === undefined ? row.title : req.body.title
    const archived = req.body?.archived === undefined ? row.archived : req.body.archived ? 1 : 0
    db.prepare('UPDATE bookmarks SET url = ?, title = ?, archived = ? WHERE id = ?').run(url, title, archived, row.id)
    if (req.body?.tags !== undefined) setTags(row.id, optionalTags(req.body))
    res.json(toBookmark(findBookmark(userOf(res), row.id)!))
  })
  .delete((req, res) => {
    const gone = db.prepare('DELETE FROM bookmarks WHERE id = ? AND user_id = ?').run(req.params.id, userOf(res)).changes
    if (!gone) throw new HttpError(404, 'bookmark not found')
    res.status(204).end()
  })
router.get('/:id/tags', (req, res) => {
  if (!findBookmark(userOf(res), req.params.id)) throw new HttpError(404, 'bookmark not found')
  res.json(tagsOf(req.params.id))
})
export default router
