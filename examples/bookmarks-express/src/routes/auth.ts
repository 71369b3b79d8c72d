import { Router } from 'express'

const router = Router()
router.post('/register', (_req, res) => res.status(201).json({}))
router.post('/login', (_req, res) => res.json({ token: 'jwt' }))
router.post('/refresh', (_req, res) => res.json({ token: 'jwt' }))
router.post('/logout', (_req, res) => res.status(204).end())
router.get('/me', (_req, res) => res.json({}))
router.post('/2fa/setup', (_req, res) => res.json({ secret: 'base32' }))
router.post('/2fa/verify', (_req, res) => res.json({ ok: true }))
router.post('/password/reset', (_req, res) => res.status(202).end())
export default router
