import type { FastifyInstance } from 'fastify'
import { HttpError, requireUser } from '../http.js'
import { listBookmarks } from '../store.js'

const queryOf = (query: unknown): string => ((query as { q?: string }).q ?? '').trim()

export default async function search(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requireUser)
  app.get('/', async (request) => {
    const q = queryOf(request.query)
    if (!q) throw new HttpError(400, 'q is required')
    const results = listBookmarks(request.userId, { q, limit: 50 })
    // Planted difference (c): `total` is a string here, a number in the Express service.
    return { q, total: String(results.length), results }
  })
  app.get('/suggest', async (request) => {
    const q = queryOf(request.query)
    return q ? listBookmarks(request.userId, { q, limit: 5 }).map((b) => b.title ?? b.url) : []
  })
}
