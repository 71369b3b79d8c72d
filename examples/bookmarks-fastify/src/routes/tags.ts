import type { FastifyInstance } from 'fastify'
import { db } from '../db.js'
import { requireUser } from '../http.js'

// Renaming and deleting tags are not ported yet.
export default async function tags(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requireUser)
  // Planted difference (b): most used first, where the Express service sorts by name.
  app.get('/', async (request) =>
    db.prepare(`SELECT t.tag AS name, COUNT(*) AS count FROM bookmark_tags t JOIN bookmarks b ON b.id = t.bookmark_id
      WHERE b.user_id = ? GROUP BY t.tag ORDER BY count DESC, t.tag`).all(request.userId))
}
