import { Router } from 'express'

const router = Router()
router.get('/', (_req, res) => res.json([]))
router.put('/:name', (_req, res) => res.json({}))
router.delete('/:name', (_req, res) => res.status(204).end())
export default router
