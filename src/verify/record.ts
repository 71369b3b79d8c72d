/**
 * `parity record`: a reverse proxy in front of the baseline that passes traffic through unchanged
 * and appends each exchange, redacted, to an NDJSON corpus (one Exchange per line).
 *
 * Sessions: one client connection is one session (`<run>.<n>`, requests numbered in the order the
 * connection sent them). HTTP/1.1 sends a connection's requests one after another, so the order is
 * exact; cookies are not used because redaction removes their values before anything is written.
 * A client that spreads one logical session over several connections records several sessions.
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import http from 'node:http'
import type { Duplex } from 'node:stream'
import { ParityError } from '../model/errors.js'
import { closeServer, listen, parseTarget, passThrough, passUpgrade, Sessions, type PassThroughResult } from './pass-through.js'
import { redactExchange } from './redact.js'
import type { Exchange } from '../model/exchange.js'

export interface RecorderOptions {
  /** The baseline's base URL; the only host the proxy ever contacts. */
  target: string
  /** Port to listen on; 0 (the default) takes a free one. */
  listen?: number
  /** Default 127.0.0.1. */
  host?: string
  /** NDJSON corpus file; exchanges are appended. */
  out: string
  /** Passed to redactExchange; `keep: true` writes secrets as they were (local use only). */
  redact?: { keep?: boolean; headers?: string[]; fields?: string[] }
  /** Bodies larger than this are recorded as size and sha256 only (default 1 MiB); they still pass through whole. */
  maxBodyBytes?: number
}

export interface Recorder {
  port: number
  url: string
  /** Exchanges written so far. */
  recorded(): number
  /** Stops listening, closes open connections and flushes the file. */
  close(): Promise<void>
}

function openOut(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path, { flags: 'a' })
    stream.once('open', () => resolve(stream))
    stream.once('error', (e: NodeJS.ErrnoException) =>
      reject(new ParityError('RECORD_OUT_UNWRITABLE', `cannot write the corpus ${path}: ${e.code ?? e.message}`, 'pass --out a path in a writable folder')),
    )
  })
}

/** Starts the recording proxy. Failed exchanges (the target down, a side hanging up) are passed on but not recorded. */
export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const target = parseTarget(options.target, '--target')
  const host = options.host ?? '127.0.0.1'
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const out = await openOut(options.out)
  const agent = new http.Agent({ keepAlive: true })
  const sessions = new Sessions(Date.now().toString(36))
  const upgraded = new Set<Duplex>()
  let count = 0

  const write = (slot: { session: string; seq: number }, r: PassThroughResult): void => {
    if (r.error || !r.response || out.writableEnded) return
    const exchange: Exchange = {
      id: `${slot.session}.${slot.seq}`,
      session: slot.session,
      seq: slot.seq,
      host: target.host,
      startedAt: r.startedAt,
      request: r.request,
      response: r.response,
      ...(r.ws ? { ws: r.ws } : {}),
    }
    // Redaction happens here, before the line exists anywhere but in memory.
    out.write(`${JSON.stringify(redactExchange(exchange, options.redact))}\n`)
    count++
  }

  const server = http.createServer((req, res) => {
    const slot = sessions.take(req.socket)
    passThrough(req, res, { target, agent, maxBodyBytes }, (r) => write(slot, r))
  })
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    const slot = sessions.take(req.socket)
    upgraded.add(socket)
    passUpgrade(req, socket, head, { target, agent, maxBodyBytes }, (r) => {
      upgraded.delete(socket)
      write(slot, r)
    })
  })
  server.on('clientError', (_e, socket) => socket.destroy())

  let port: number
  try {
    port = await listen(server, host, options.listen ?? 0)
  } catch (e) {
    out.end()
    throw e
  }
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    recorded: () => count,
    async close() {
      await closeServer(server, upgraded)
      agent.destroy()
      // Upgraded sockets just destroyed report their sessions on the next turn: let them be written.
      await new Promise((resolve) => setImmediate(resolve))
      await new Promise<void>((resolve) => out.end(() => resolve()))
    },
  }
}
