import { Router } from 'express'

const router = Router()
router.get('/', (_req, res) => res.json([]))
router.post('/', (_req, res) => res.status(201).json({}))
router.get('/:id', (_req, res) => res.json({}))
router.post('/:id/bookmarks', (_req, res) => res.status(201).json({}))
router.delete('/:id/bookmarks/:bookmarkId', (_req, res) => res.status(204).end())
export default router
