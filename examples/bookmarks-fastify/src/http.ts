import type { FastifyReply, FastifyRequest } from 'fastify'
import { verifyToken } from './security.js'

declare module 'fastify' {
  interface FastifyRequest {
    userId: number
    email: string
  }
}

/** An error with its HTTP status, rendered as `{ "error": message }` like the Express service. */
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message)
  }
}

export async function requireUser(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ')
  const claims = scheme === 'Bearer' && token ? verifyToken(token) : undefined
  if (!claims) throw new HttpError(401, 'unauthorized')
  request.userId = claims.sub
  request.email = claims.email
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

/** The request's JSON body as a record (undefined when there was none). */
// biome-ignore lint/suspicious/noExplicitAny: handlers read the fields they expect and validate them
export const bodyOf = (request: FastifyRequest): Record<string, any> | undefined => request.body as Record<string, any> | undefined
