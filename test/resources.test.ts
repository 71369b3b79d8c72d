import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { sampleResources, treePids } from '../src/systems/resources.js'
import { startSystem, stopAll } from '../src/systems/supervisor.js'
import { fixtureSpec, getText } from './support/systems.js'

const logDir = mkdtempSync(join(tmpdir(), 'parity-resources-'))

afterAll(async () => {
  await stopAll()
  rmSync(logDir, { recursive: true, force: true })
})

describe('treePids', () => {
  it('lists the process first, and nothing for a pid that does not exist', () => {
    expect(treePids(process.pid)[0]).toBe(process.pid)
    expect(treePids(2 ** 22 + 7)).toEqual([])
  })
})

describe('sampleResources', () => {
  it('leaky: peak RSS grows after 50 requests that each retain 1 MiB', async () => {
    const system = await startSystem(await fixtureSpec('leaky', logDir, { ready: { tcp: true } }))
    try {
      const sampler = sampleResources(system.pid, { hz: 20 })
      await sleep(150)
      const before = sampler.mark()
      for (let i = 0; i < 50; i++) await getText(system.url)
      await sleep(150)
      const after = sampler.stop()
      expect(before.samples).toBeGreaterThanOrEqual(2)
      expect(after.samples).toBeGreaterThanOrEqual(2)
      expect(before.method).toBe('proc')
      expect(before.processes).toBe(1)
      expect(before.rssPeakMb).toBeGreaterThan(10)
      // 50 MiB retained; allow for what the allocator and the GC do with it.
      expect(after.rssPeakMb - before.rssPeakMb).toBeGreaterThan(35)
      expect(after.rssMeanMb).toBeLessThanOrEqual(after.rssPeakMb)
    } finally {
      await system.stop()
    }
  })

  it('forks-child: the tree counts two processes and the child memory, by /proc and by ps', async () => {
    for (const detached of ['0', '1']) {
      const system = await startSystem(await fixtureSpec('forks-child', logDir, { ready: { http: '/' }, env: { DETACHED: detached } }))
      try {
        const proc = sampleResources(system.pid)
        const ps = sampleResources(system.pid, { method: 'ps' })
        await sleep(250)
        const a = proc.stop()
        const b = ps.stop()
        expect(a).toMatchObject({ processes: 2, method: 'proc' })
        expect(b).toMatchObject({ processes: 2, method: 'ps' })
        // The child holds 20 MiB and each node process needs more than 20 MiB of its own.
        expect(a.rssPeakMb).toBeGreaterThan(60)
        expect(Math.abs(a.rssPeakMb - b.rssPeakMb)).toBeLessThan(a.rssPeakMb * 0.25)
      } finally {
        await system.stop()
      }
    }
  })

  it('CPU: near idle before, busy while the server spins, per window', async () => {
    const system = await startSystem(await fixtureSpec('fast', logDir))
    try {
      const sampler = sampleResources(system.pid, { hz: 10 })
      await sleep(300)
      const idle = sampler.mark()
      await getText(`${system.url}/spin?ms=600`)
      const busy = sampler.stop()
      expect(idle.cpuMeanPercent).toBeLessThan(50)
      expect(busy.cpuPeakPercent).toBeGreaterThan(50)
      expect(busy.cpuMeanPercent).toBeGreaterThan(idle.cpuMeanPercent)
    } finally {
      await system.stop()
    }
  })

  it('a tree that exited: readings stop counting, processes 0', async () => {
    const system = await startSystem(await fixtureSpec('crash', logDir))
    const sampler = sampleResources(system.pid)
    await sleep(120)
    await fetch(`${system.url}/crash`).catch(() => undefined)
    await system.exited
    const stats = sampler.stop()
    expect(stats.processes).toBe(0)
    expect(stats.samples).toBeGreaterThanOrEqual(1)
    expect(stats.rssPeakMb).toBeGreaterThan(0)
    await system.stop()
  })
})
