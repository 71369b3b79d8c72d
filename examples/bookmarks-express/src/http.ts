import type { NextFunction, Request, Response } from 'express'
import { verifyToken } from './security.js'

/** An error with its HTTP status, rendered as `{ "error": message }`. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** The signed-in user's id, set by requireUser. */
export const userOf = (res: Response): number => res.locals.userId as number

export function requireUser(req: Request, res: Response, next: NextFunction): void {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ')
  const claims = scheme === 'Bearer' && token ? verifyToken(token) : undefined
  if (!claims) throw new HttpError(401, 'unauthorized')
  res.locals.userId = claims.sub
  res.locals.email = claims.email
  next()
}

export function requireString(body: unknown, field: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[field]
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `${field} is required`)
  return value.trim()
}

export function optionalTags(body: unknown): string[] {
  const tags = (body as Record<string, unknown> | undefined)?.tags ?? []
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw new HttpError(400, 'tags must be a list of strings')
  return [...new Set((tags as string[]).map((t) => t.trim().toLowerCase()).filter(Boolean))].sort()
}

const adminDomain = process.env.ADMIN_DOMAIN ?? 'admin.example'

/** Admins are the users of one mail domain (`ADMIN_DOMAIN`, default admin.example); after requireUser. */
export function requireAdmin(_req: Request, res: Response, next: NextFunction): void {
  if (!String(res.locals.email).endsWith(`@${adminDomain}`)) throw new HttpError(403, 'admins only')
  next()
}
