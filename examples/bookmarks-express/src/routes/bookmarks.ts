import { Router } from 'express'

const router = Router()
router.route('/')
  .get((_req, res) => res.json([]))
  .post((_req, res) => res.status(201).json({}))
router.post('/bulk', (_req, res) => res.json({ created: 0 }))
router.delete('/bulk', (_req, res) => res.json({ deleted: 0 }))
router.route('/:id')
  .get((_req, res) => res.json({}))
  .put((_req, res) => res.json({}))
  .delete((_req, res) => res.status(204).end())
router.get('/:id/tags', (_req, res) => res.json([]))
export default router
