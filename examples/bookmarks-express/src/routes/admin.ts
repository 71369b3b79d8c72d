import { Router } from 'express'
import { db } from '../db.js'
import { requireAdmin, requireUser } from '../http.js'
const router = Router().use(requireUser, requireAdmin)
router.get('/stats', (_req, res) => {
  const count = (table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number
  res.json({ users: count('users'), bookmarks: count('bookmarks'), tags: count('tags'), collections: count('collections'), imports: count('import_jobs') })
})
router.post('/reindex', (_req, res) => {
  // The search index is the bookmarks table itself; reindexing drops tags no bookmark uses any more.
  const removed = db.prepare('DELETE FROM tags WHERE name NOT IN (SELECT tag FROM bookmark_tags)').run().changes
  res.status(202).json({ removedTags: removed })
})
export default router
