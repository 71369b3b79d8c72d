import { Router } from 'express'

const router = Router()
router.get('/stats', (_req, res) => res.json({ users: 0, bookmarks: 0 }))
router.post('/reindex', (_req, res) => res.status(202).end())
export default router
