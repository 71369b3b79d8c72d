import { Router } from 'express'
import { db } from '../db.js'
import { HttpError, requireString, requireUser, userOf } from '../http.js'
import { checkPassword, checkTotp, hashPassword, newTotpSecret, signToken } from '../security.js'

interface UserRow { id: number; email: string; password_hash: string; totp_secret: string | null; totp_enabled: number; created_at: string }
const userById = (id: number): UserRow => db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow

const router = Router()
router.post('/register', (req, res) => {
  const email = requireString(req.body, 'email').toLowerCase()
  const password = requireString(req.body, 'password')
  if (!email.includes('@')) throw new HttpError(400, 'email is invalid')
  if (password.length < 8) throw new HttpError(400, 'password must have at least 8 characters')
  if (db.prepare('SELECT 1 FROM users WHERE email = ?').get(email)) throw new HttpError(409, 'email already registered')
  const createdAt = new Date().toISOString()
  const { lastInsertRowid } = db.prepare('INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)').run(email, hashPassword(password), createdAt)
  res.status(201).json({ id: Number(lastInsertRowid), email, createdAt })
})
router.post('/login', (req, res) => {
  const email = requireString(req.body, 'email').toLowerCase()
  const password = requireString(req.body, 'password')
  const user = db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined
  if (!user || !checkPassword(password, user.password_hash)) throw new HttpError(401, 'invalid email or password')
  if (user.totp_enabled) {
    const code = (req.body as { code?: unknown }).code
    if (typeof code !== 'string' || !checkTotp(user.totp_secret!, code)) throw new HttpError(401, 'two-factor code required')
  }
  res.json({ token: signToken({ sub: user.id, email: user.email }), expiresIn: 3600 })
})
router.post('/refresh', requireUser, (_req, res) => {
  res.json({ token: signToken({ sub: userOf(res), email: res.locals.email as string }), expiresIn: 3600 })
})
// Tokens are stateless: logging out is the client forgetting its token.
router.post('/logout', requireUser, (_req, res) => res.status(204).end())
router.get('/me', requireUser, (_req, res) => {
  const user = userById(userOf(res))
  res.json({ id: user.id, email: user.email, createdAt: user.created_at })
})
router.post('/2fa/setup', requireUser, (_req, res) => {
  const user = userById(userOf(res))
  if (user.totp_enabled) throw new HttpError(409, 'two-factor already enabled')
  const secret = newTotpSecret()
  db.prepare('UPDATE users SET totp_secret = ? WHERE id = ?').run(secret, user.id)
  res.json({ secret, otpauthUrl: `otpauth://totp/bookmarks:${encodeURIComponent(user.email)}?secret=${secret}&issuer=bookmarks` })
})
router.post('/2fa/verify', requireUser, (req, res) => {
  const code = requireString(req.body, 'code')
  const user = userById(userOf(res))
  if (!user.totp_secret) throw new HttpError(400, 'call /api/auth/2fa/setup first')
  if (!checkTotp(user.totp_secret, code)) throw new HttpError(400, 'invalid code')
  db.prepare('UPDATE users SET totp_enabled = 1 WHERE id = ?').run(user.id)
  res.json({ enabled: true })
})
// No mail is sent in the example; the answer never tells whether the address exists.
router.post('/password/reset', (req, res) => {
  requireString(req.body, 'email')
  res.status(202).json({ sent: true })
})
export default router
