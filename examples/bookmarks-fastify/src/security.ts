// JWT (HS256) and password hashing with node:crypto only, compatible with the Express service's tokens.
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
