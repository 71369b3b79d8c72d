/** Small real servers and clients for the recording proxy and shadow mode tests (127.0.0.1, port 0). */
import http, { type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Seen {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

export async function startServer(
  handler: (req: IncomingMessage, res: http.ServerResponse, body: Buffer) => void,
): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      res.sendDate = false
      handler(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

export function stopServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve()
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/** A port nothing listens on: bound, then released. */
export async function deadPort(): Promise<number> {
  const s = http.createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

export interface Fetched {
  status: number
  statusMessage: string
  /** Raw headers minus the connection-level ones, which belong to each hop. */
  headers: string[]
  body: Buffer
}

const HOP = new Set(['connection', 'keep-alive'])

/** One request with node:http, the response's bytes collected; bounded by `timeoutMs`. */
export function fetchRaw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string; agent?: http.Agent } = {},
  timeoutMs = 10_000,
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: init.agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const headers: string[] = []
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
          if (!HOP.has(res.rawHeaders[i]!.toLowerCase())) headers.push(res.rawHeaders[i]!, res.rawHeaders[i + 1]!)
        resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers, body: Buffer.concat(chunks) })
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(init.body)
  })
}

/** Waits for a condition, polling; fails after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A gate a server handler can wait on, opened by the test. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void
  const wait = new Promise<void>((resolve) => (open = resolve))
  return { wait, open }
}
