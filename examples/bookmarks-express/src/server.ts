import express, { type NextFunction, type Request, type Response } from 'express'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { HttpError } from './http.js'
import { API, WS_IMPORT } from './paths.js'
import admin from './routes/admin.js'
import auth from './routes/auth.js'
import bookmarks from './routes/bookmarks.js'
import collections from './routes/collections.js'
import importer, { streamImport } from './routes/import.js'
import search from './routes/search.js'
import tags from './routes/tags.js'

const app = express()
app.disable('x-powered-by')
app.set('etag', false)
app.use((_req, res, next) => {
  res.setHeader('x-request-id', randomUUID())
  next()
})
app.use(express.json())
app.get('/health', (_req, res) => res.json({ ok: true }))
app.use(`${API}/auth`, auth)
app.use(`${API}/bookmarks`, bookmarks)
app.use(`${API}/tags`, tags)
app.use(`${API}/collections`, collections)
app.use(`${API}/search`, search)
app.use(`${API}/admin`, admin)
app.use(`${API}/import`, importer)
app.use((_req, res) => {
  res.status(404).json({ error: 'not found' })
})
// Errors are JSON `{ "error": "..." }`: ours with their status, a malformed body 400, the rest 500.
app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
  if (err instanceof HttpError) res.status(err.status).json({ error: err.message })
  else if (err.type === 'entity.parse.failed') res.status(400).json({ error: 'malformed JSON body' })
  else {
    console.error(err)
    res.status(500).json({ error: 'internal error' })
  }
})

const server = createServer(app)
const wss = new WebSocketServer({ server, path: WS_IMPORT })
wss.on('connection', (socket, req) => streamImport(socket, req.url ?? ''))
const port = Number(process.env.PORT ?? 3000)
server.listen(port, '127.0.0.1', () => console.log(`bookmarks-express listening on http://127.0.0.1:${port}`))
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)))
