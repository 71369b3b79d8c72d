/**
 * What an identifier looks like: a number, a UUID, a hex id or a random-looking token. Route
 * inference turns such path segments into `{id}`; the diff tolerates values of one such shape.
 */

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const tokenRe = /^[A-Za-z0-9_\-+/=.]{20,}$/

export function digitCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) n++
  }
  return n
}

export function isUuid(s: string): boolean {
  return uuidRe.test(s)
}

/** A random-looking token: long, no spaces, letters of both cases or hex, several digits (JWTs, API keys, base64). */
export function isToken(s: string): boolean {
  return tokenRe.test(s) && digitCount(s) >= 3 && /[a-z]/.test(s) && /[A-Z]/.test(s)
}

/** The class of a path segment that is an id (`int`, `uuid`, `hex`, `token`), or undefined. */
export function idClass(seg: string): string | undefined {
  if (/^\d+$/.test(seg)) return 'int'
  // Every other class is at least 8 characters long.
  if (seg.length < 8) return undefined
  if (uuidRe.test(seg)) return 'uuid'
  if (/^[0-9a-f]{8,}$/i.test(seg) && digitCount(seg) > 0) return 'hex'
  if (/^[A-Za-z0-9_-]{16,}$/.test(seg) && digitCount(seg) >= 2 && /[A-Za-z]/.test(seg)) return 'token'
  if (isToken(seg)) return 'token'
  return undefined
}
