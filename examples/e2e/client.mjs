// Helpers for the end-to-end suite: a fresh user per test, JSON requests against BASE_URL.
import { createHmac, randomUUID } from 'node:crypto'

export const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000'

/** Sends a request; the answer's status, headers and parsed body (text when not JSON). */
export async function call(method, path, { token, body } = {}) {
  const headers = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
  const text = await res.text()
  let json
  try { json = text ? JSON.parse(text) : undefined } catch { json = text }
  return { status: res.status, headers: res.headers, body: json }
}

/** Registers and logs in a new user; `domain` admin.example makes an admin. */
export async function newUser(domain = 'e2e.example') {
  const email = `user-${randomUUID()}@${domain}`
  const password = 'correct horse battery'
  const reg = await call('POST', '/api/auth/register', { body: { email, password } })
  if (reg.status !== 201) throw new Error(`register answered ${reg.status}`)
  const login = await call('POST', '/api/auth/login', { body: { email, password } })
  return { email, password, id: reg.body.id, token: login.body.token }
}

/** The current TOTP code of a base32 secret (RFC 6238, SHA-1, 30 s, 6 digits). */
export function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const bits = [...secret].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('')
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)))
  const mac = createHmac('sha1', key).update(counter).digest()
  const offset = mac[mac.length - 1] & 0xf
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}
