/** The items API the e2e fixture suite checks; the candidate names item 2 `Beta`, not `beta` (the planted difference). */
import { createServer, type Server } from 'node:http'

export function itemsApi(side: 'baseline' | 'candidate', servers: Server[], hits?: Record<'baseline' | 'candidate', number>): Promise<string> {
  const server = createServer((req, res) => {
    if (hits) hits[side]++
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.url === '/api/items') return send(200, [{ id: 1 }, { id: 2 }, { id: 3 }])
    if (req.url === '/api/items/2') return send(200, { id: 2, name: side === 'baseline' ? 'beta' : 'Beta' })
    if (req.url === '/health') return send(200, { status: 'ok' })
    send(404, { error: 'not found' })
  })
  servers.push(server)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)))
}
