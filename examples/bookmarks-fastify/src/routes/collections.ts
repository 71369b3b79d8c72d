import type { FastifyInstance } from 'fastify'
import { db } from '../db.js'
import { HttpError, requireString, requireUser } from '../http.js'

interface CollectionRow { id: number; name: string; created_at: string }
// Adding bookmarks to a collection is not ported yet, so a collection is always empty here.
const toCollection = (c: CollectionRow) => ({ id: c.id, name: c.name, bookmarkCount: 0, createdAt: c.created_at })

export default async function collections(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requireUser)
  app.get('/', async (request) =>
    (db.prepare('SELECT id, name, created_at FROM collections WHERE user_id = ? ORDER BY id').all(request.userId) as CollectionRow[]).map(toCollection))
  app.post('/', async (request, reply) => {
    const name = requireString(request.body, 'name')
    const createdAt = new Date().toISOString()
    const { lastInsertRowid } = db.prepare('INSERT INTO collections (user_id, name, created_at) VALUES (?, ?, ?)').run(request.userId, name, createdAt)
    return reply.code(201).send(toCollection({ id: Number(lastInsertRowid), name, created_at: createdAt }))
  })
  app.get<{ Params: { id: string } }>('/:id', async (request) => {
    const c = db.prepare('SELECT id, name, created_at FROM collections WHERE id = @id AND user_id = @userId').get({ id: request.params.id, userId: request.userId }) as CollectionRow | undefined
    if (!c) throw new HttpError(404, 'collection not found')
    return { ...toCollection(c), bookmarks: [] }
  })
}
