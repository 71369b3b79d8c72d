/**
 * Value-flow forms whose evidence is a diagnostic rather than a route line: what the scan says when
 * it chooses one shape of a configured group, and when a mounted parameter is never seen passed.
 */
import { describe, expect, it } from 'vitest'
import { scanPath } from '../src/scan/scan.js'

const fixture = (id: string) => new URL(`../fixtures/extractors/${id}`, import.meta.url).pathname

describe('value flow', () => {
  it('names the flag when a group has two shapes and lists its routes once, under the flag unset', async () => {
    const inv = await scanPath({ path: fixture('echo') })
    const note = inv.diagnostics.find((d) => d.code === 'ALTERNATIVE_PREFIX')
    expect(note?.level).toBe('info')
    expect(note?.message).toContain('`cfg.MultiTenant`')
    expect(inv.items.filter((i) => i.kind === 'route' && i.path.endsWith('/me')).map((i) => i.path)).toEqual(['/me'])
  })

  it('says which function was never seen called when a mounted parameter has no call', async () => {
    const inv = await scanPath({ path: fixture('chi') })
    const d = inv.diagnostics.find((x) => x.code === 'UNRESOLVED_PATH' && x.file === 'internal/web/server.go')
    expect(d?.message).toContain('`Server.MountAt`, which parity never sees called')
    const item = inv.items.find((i) => i.source?.file === 'internal/web/server.go' && i.unresolved)
    expect(item?.path).toBe('/{?}/{*}')
  })

  it('mounts what each call passes, and nothing a test passes', async () => {
    const inv = await scanPath({ path: fixture('chi') })
    const paths = inv.items.map((i) => i.path)
    expect(paths).toContain('/library/song')
    expect(paths.some((p) => p?.startsWith('/test-only'))).toBe(false)
    // The handler named `constructor` is a plain route, not Object's constructor.
    expect(inv.items.find((i) => i.handler === 'constructor')?.kind).toBe('route')
  })
})
