import type { FastifyInstance } from 'fastify'
import { db } from '../db.js'
import { bodyOf, HttpError, optionalTags, requireString, requireUser } from '../http.js'
import { findBookmark, insertBookmark, listBookmarks, setTags } from '../store.js'

type ById = { Params: { id: string } }

export default async function bookmarks(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requireUser)
  app.get<{ Querystring: { tag?: string } }>('/', async (request) => listBookmarks(request.userId, { tag: request.query.tag }))
  // Planted difference (e): only http(s) URLs are taken (400), where the Express service stores any URL.
  app.post('/', async (request, reply) => {
    const body = bodyOf(request)
    const url = requireString(body, 'url')
    if (!/^https?:\/\//i.test(url)) throw new HttpError(400, 'url must be an http or https URL')
    const id = insertBookmark(request.userId, { url, title: body?.title ?? null, tags: optionalTags(body) })
    return reply.code(201).send(findBookmark(request.userId, id))
  })
  app.post('/bulk', async (request, reply) => {
    const items: unknown = bodyOf(request)?.bookmarks
    if (!Array.isArray(items) || items.length === 0) throw new HttpError(400, 'bookmarks must be a non-empty list')
    const inputs = items.map((item) => ({ url: requireString(item, 'url'), title: (item as { title?: string }).title ?? null, tags: optionalTags(item) }))
    const ids = db.transaction(() => inputs.map((input) => insertBookmark(request.userId, input)))()
    return reply.code(201).send({ created: ids.length, ids })
  })
  // Planted difference (a): the answer has no `ids` of the deleted bookmarks.
  app.delete('/bulk', async (request) => {
    const ids: unknown = bodyOf(request)?.ids
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new HttpError(400, 'ids must be a list of bookmark ids')
    const remove = db.prepare('DELETE FROM bookmarks WHERE id = ? AND user_id = ?')
    const deleted = db.transaction(() => (ids as string[]).reduce((n, id) => n + remove.run(id, request.userId).changes, 0))()
    return { deleted }
  })
  // Planted difference (d): an unknown id answers Fastify's `{ "message": "Not Found" }`.
  app.get<ById>('/:id', async (request, reply) => findBookmark(request.userId, request.params.id) ?? reply.code(404).send({ message: 'Not Found' }))
  app.put<ById>('/:id', async (request, reply) => {
    const current = findBookmark(request.userId, request.params.id)
    if (!current) return reply.code(404).send({ message: 'Not Found' })
    const body = bodyOf(request) ?? {}
    const url = body.url === undefined ? current.url : requireString(body, 'url')
    const title = body.title === undefined ? current.title : body.title
    const archived = body.archived === undefined ? current.archived : Boolean(body.archived)
    db.prepare('UPDATE bookmarks SET url = ?, title = ?, archived = ? WHERE id = ?').run(url, title, archived ? 1 : 0, current.id)
    if (body.tags !== undefined) setTags(current.id, optionalTags(body))
    return findBookmark(request.userId, current.id)
  })
  app.delete<ById>('/:id', async (request, reply) => {
    const gone = db.prepare('DELETE FROM bookmarks WHERE id = ? AND user_id = ?').run(request.params.id, request.userId).changes
    return gone ? reply.code(204).send() : reply.code(404).send({ message: 'Not Found' })
  })
  app.get<ById>('/:id/tags', async (request, reply) => findBookmark(request.userId, request.params.id)?.tags ?? reply.code(404).send({ message: 'Not Found' }))
}
