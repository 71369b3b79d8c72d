/**
 * `parity record`: a reverse proxy in front of the baseline that passes traffic through unchanged
 * and appends each exchange, redacted, to an NDJSON corpus (one Exchange per line).
 *
 * Sessions are clients, not connections (client-sessions.ts): a request joins the session of the
 * client it comes from, known by a configured `sessionHeader`, by the credential it carries (the
 * Authorization token, a session cookie) or by the login whose answer issued that credential; a
 * request with none of these stays with its connection. Requests are numbered in the order they
 * arrived, whatever connection they came over. Identifying values are kept only as HMACs in memory
 * (a random key per recorder, never written): redaction removes them before anything is written.
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import http from 'node:http'
import type { Duplex } from 'node:stream'
import { ParityError } from '../model/errors.js'
import { ClientSessions } from './client-sessions.js'
import { closeServer, headersFromRaw, listen, parseTarget, passThrough, passUpgrade, type PassThroughResult } from './pass-through.js'
import { redactExchange } from './redact.js'
import type { Exchange, Headers } from '../model/exchange.js'

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
  /** A request header that names the client (`x-client-id`): requests with the same value are one session. */
  sessionHeader?: string
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
  const sessions = new ClientSessions(Date.now().toString(36), {
    ...(options.sessionHeader ? { sessionHeader: options.sessionHeader } : {}),
    credentialHeaders: options.redact?.headers ?? [],
  })
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
    const slot = sessions.take(req.socket, headersFromRaw(req.rawHeaders))
    const observe = {
      headers: (h: Headers) => sessions.issued(slot.session, h),
      body: (h: Headers, bytes: Buffer) => sessions.issued(slot.session, h, bytes),
    }
    passThrough(req, res, { target, agent, maxBodyBytes, observe }, (r) => write(slot, r))
  })
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    const slot = sessions.take(req.socket, headersFromRaw(req.rawHeaders))
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
