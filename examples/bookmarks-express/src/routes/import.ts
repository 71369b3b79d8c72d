import { Router } from 'express'

const router = Router()
router.post('/', (_req, res) => res.status(202).json({ id: 'job-1' }))
router.get('/:id/events', (_req, res) => {
  res.setHeader('Content-Type', 'text/event-stream')
  res.write('data: {"progress":0}\n\n')
})
export default router
