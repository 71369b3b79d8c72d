import express from 'express'
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { API, WS_IMPORT } from './paths.js'
import auth from './routes/auth.js'
import bookmarks from './routes/bookmarks.js'
import tags from './routes/tags.js'
import collections from './routes/collections.js'
import search from './routes/search.js'
import admin from './routes/admin.js'
import importer from './routes/import.js'

const app = express()
app.use(express.json())
app.get('/health', (_req, res) => res.json({ ok: true }))
app.use(`${API}/auth`, auth)
app.use(`${API}/bookmarks`, bookmarks)
app.use(`${API}/tags`, tags)
app.use(`${API}/collections`, collections)
app.use(`${API}/search`, search)
app.use(`${API}/admin`, admin)
app.use(`${API}/import`, importer)

const server = createServer(app)
const wss = new WebSocketServer({ server, path: WS_IMPORT })
wss.on('connection', (socket) => socket.send(JSON.stringify({ type: 'hello' })))
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1')
