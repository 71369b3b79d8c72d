import type { FastifyInstance } from 'fastify'
import { db } from '../db.js'
import { HttpError, requireString, requireUser } from '../http.js'
import { checkPassword, hashPassword, signToken } from '../security.js'

interface UserRow { id: number; email: string; password_hash: string; created_at: string }

// Two-factor (setup, verify, the code at login) and password reset are not ported yet.
export default async function auth(app: FastifyInstance): Promise<void> {
  app.post('/register', async (request, reply) => {
    const email = requireString(request.body, 'email').toLowerCase()
    const password = requireString(request.body, 'password')
    if (!email.includes('@')) throw new HttpError(400, 'email is invalid')
    if (password.length < 8) throw new HttpError(400, 'password must have at least 8 characters')
    if (db.prepare('SELECT 1 FROM users WHERE email = ?').get(email)) throw new HttpError(409, 'email already registered')
    const createdAt = new Date().toISOString()
    const { lastInsertRowid } = db.prepare('INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)').run(email, hashPassword(password), createdAt)
    return reply.code(201).send({ id: Number(lastInsertRowid), email, createdAt })
  })
  app.post('/login', async (request) => {
    const email = requireString(request.body, 'email').toLowerCase()
    const password = requireString(request.body, 'password')
    const user = db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined
    if (!user || !checkPassword(password, user.password_hash)) throw new HttpError(401, 'invalid email or password')
    return { token: signToken({ sub: user.id, email: user.email }), expiresIn: 3600 }
  })
  app.post('/refresh', { preHandler: requireUser }, async (request) => ({ token: signToken({ sub: request.userId, email: request.email }), expiresIn: 3600 }))
  app.post('/logout', { preHandler: requireUser }, async (_request, reply) => reply.code(204).send())
  app.get('/me', { preHandler: requireUser }, async (request) => {
    const user = db.prepare('SELECT * FROM users WHERE id = ?').get(request.userId) as UserRow
    return { id: user.id, email: user.email, createdAt: user.created_at }
  })
}
