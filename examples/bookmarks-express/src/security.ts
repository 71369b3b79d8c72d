// JWT (HS256), password hashing and TOTP (RFC 6238) with node:crypto only.
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'

const secret = process.env.JWT_SECRET ?? 'dev-secret-change-me'
const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

export function signToken(claims: { sub: number; email: string }, ttlSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000)
  const body = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify({ ...claims, iat: now, exp: now + ttlSeconds }))}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

export function verifyToken(token: string): { sub: number; email: string } | undefined {
  const [header, payload, signature] = token.split('.')
  if (!header || !payload || !signature) return undefined
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: number; email: string; exp: number }
  return claims.exp > Date.now() / 1000 ? { sub: claims.sub, email: claims.email } : undefined
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16)
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32, { N: 1024 }).toString('hex')}`
}

export function checkPassword(password: string, stored: string): boolean {
  const [salt = '', hash = ''] = stored.split(':')
  const actual = scryptSync(password, Buffer.from(salt, 'hex'), 32, { N: 1024 })
  return timingSafeEqual(actual, Buffer.from(hash, 'hex'))
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function newTotpSecret(): string {
  let bits = ''
  for (const byte of randomBytes(20)) bits += byte.toString(2).padStart(8, '0')
  return bits.match(/.{5}/g)!.map((b) => alphabet[parseInt(b, 2)]).join('')
}

function totpAt(secretBase32: string, step: number): string {
  const bits = [...secretBase32].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('')
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', key).update(counter).digest()
  const offset = mac[mac.length - 1]! & 0xf
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

/** Accepts the code of the current 30-second step or of its neighbours (clock drift). */
export function checkTotp(secretBase32: string, code: string): boolean {
  const step = Math.floor(Date.now() / 30_000)
  return [step - 1, step, step + 1].some((s) => totpAt(secretBase32, s) === code)
}
