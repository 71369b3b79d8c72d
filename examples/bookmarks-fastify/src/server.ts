/**
 * The bookmarks service rewritten with Fastify: a rewrite in progress, about two thirds of the
 * Express service (examples/bookmarks-express) ported. Not ported yet: two-factor auth, password
 * reset, import (HTTP, SSE and /ws/import), admin, renaming and deleting tags, collection items.
 *
 * Planted behavioural differences, for parity to find (see examples/README.md):
 *   (a) DELETE /api/bookmarks/bulk answers `{ deleted }` without the `ids` the Express service sends;
 *   (b) GET /api/tags sorts tags by count (most used first), the Express service by name;
 *   (c) GET /api/search sends `total` as a string ("3"), the Express service as a number;
 *   (d) an unknown bookmark id answers 404 `{ "message": "Not Found" }` (Fastify's shape) where the
 *       Express service answers `{ "error": "bookmark not found" }`;
 *   (e) POST /api/bookmarks refuses a URL that is not http(s) with 400, where the Express service
 *       stores it: what the session reads of that bookmark afterwards differs as a consequence.
 *   (f) GET /api/collections does not send the `X-Total-Count` header the Express service sends.
 * GET /api/bookmarks is faster: one JOIN instead of one tags query per bookmark, and no per-row hashing.
 */
import Fastify, { type FastifyError } from 'fastify'
import { randomUUID } from 'node:crypto'
import { HttpError } from './http.js'
import { API } from './paths.js'
import auth from './routes/auth.js'
import bookmarks from './routes/bookmarks.js'
import collections from './routes/collections.js'
import search from './routes/search.js'
import tags from './routes/tags.js'

const app = Fastify()
app.decorateRequest('userId', 0)
app.decorateRequest('email', '')
app.addHook('onRequest', async (_request, reply) => {
  reply.header('x-request-id', randomUUID())
})
// Errors keep the Express service's `{ "error": "..." }` (except planted difference (d)).
app.setErrorHandler((err: FastifyError, _request, reply) => {
  if (err instanceof HttpError) return reply.code(err.statusCode).send({ error: err.message })
  if (err.statusCode === 400) return reply.code(400).send({ error: 'malformed JSON body' })
  console.error(err)
  return reply.code(500).send({ error: 'internal error' })
})
app.get('/health', async () => ({ ok: true }))
app.register(auth, { prefix: `${API}/auth` })
app.register(bookmarks, { prefix: `${API}/bookmarks` })
app.register(tags, { prefix: `${API}/tags` })
app.register(collections, { prefix: `${API}/collections` })
app.register(search, { prefix: `${API}/search` })

const port = Number(process.env.PORT ?? 3000)
await app.listen({ port, host: '127.0.0.1' })
console.log(`bookmarks-fastify listening on http://127.0.0.1:${port}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close().then(() => process.exit(0)))
