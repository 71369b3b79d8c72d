/** A notes API for replay tests: random tokens, ids and timestamps (noise), and, with `planted`, real differences. */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'

/** A notes API; `planted` makes the candidate's differences. */
export function notesApi(planted: boolean, servers: Server[]): Promise<string> {
  const tokens = new Set<string>()
  const notes = new Map<string, { id: string; text: string; createdAt: string }>()
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': randomUUID(), ...headers })
        res.end(JSON.stringify(value))
      }
      if (req.method === 'POST' && req.url === '/api/login') {
        const token = randomBytes(24).toString('hex')
        tokens.add(token)
        return send(200, { token, expiresAt: new Date(Date.now() + 3600_000).toISOString() })
      }
      if (!tokens.has((req.headers.authorization ?? '').replace('Bearer ', ''))) return send(401, { error: 'unauthorized' })
      if (req.method === 'POST' && req.url === '/api/notes') {
        const note = { id: randomUUID(), text: JSON.parse(body).text as string, createdAt: new Date().toISOString() }
        notes.set(note.id, note)
        // Planted: the candidate answers 200 instead of 201.
        return send(planted ? 200 : 201, note, { location: `/api/notes/${note.id}` })
      }
      if (req.method === 'GET' && req.url === '/api/notes') return send(200, { count: notes.size, items: [...notes.values()] })
      const id = req.url?.startsWith('/api/notes/') ? req.url.slice('/api/notes/'.length) : ''
      const note = notes.get(id)
      if (req.method === 'GET' && note) {
        // Planted: the candidate drops `text` and adds `title`.
        return send(200, planted ? { id: note.id, title: note.text, createdAt: note.createdAt } : note)
      }
      send(404, { error: 'not found' })
    })
  })
  servers.push(server)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)))
}
