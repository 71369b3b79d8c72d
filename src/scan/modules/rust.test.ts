import { describe, expect, it } from 'vitest'
import type { Manifest } from '../../extractors/types.js'
import { resolveRustModule } from './rust.js'
import type { ModuleResolveContext } from './types.js'

const files = new Set([
  'svc/src/main.rs',
  'svc/src/paths.rs',
  'svc/src/routes/mod.rs',
  'svc/src/routes/users.rs',
  'svc/src/routes/admin/mod.rs',
  'svc/src/routes/admin/audit.rs',
])
const ctx: ModuleResolveContext = {
  files,
  filesInDir: () => [],
  manifestFor: (): Manifest => ({ family: 'rust', file: 'svc/Cargo.toml', dependencies: new Set(['axum']) }),
}
const resolve = (spec: string, from: string) => resolveRustModule(spec, from, ctx)

describe('resolveRustModule', () => {
  it('resolves crate paths from the crate root', () => {
    expect(resolve('crate', 'svc/src/routes/users.rs')).toEqual(['svc/src/main.rs'])
    expect(resolve('crate::paths', 'svc/src/routes/users.rs')).toEqual(['svc/src/paths.rs'])
    expect(resolve('crate::routes::admin', 'svc/src/paths.rs')).toEqual(['svc/src/routes/admin/mod.rs'])
  })

  it('resolves self and super from the current module', () => {
    expect(resolve('self::users', 'svc/src/routes/mod.rs')).toEqual(['svc/src/routes/users.rs'])
    expect(resolve('self::audit', 'svc/src/routes/admin/mod.rs')).toEqual(['svc/src/routes/admin/audit.rs'])
    expect(resolve('super::users', 'svc/src/routes/admin/mod.rs')).toEqual(['svc/src/routes/users.rs'])
    expect(resolve('super::super::users', 'svc/src/routes/admin/audit.rs')).toEqual(['svc/src/routes/users.rs'])
    expect(resolve('super::super::super::paths', 'svc/src/routes/admin/audit.rs')).toEqual(['svc/src/paths.rs'])
    expect(resolve('self::routes', 'svc/src/main.rs')).toEqual(['svc/src/routes/mod.rs'])
  })

  it('resolves uniform paths relative to the current module', () => {
    expect(resolve('admin::audit', 'svc/src/routes/mod.rs')).toEqual(['svc/src/routes/admin/audit.rs'])
    expect(resolve('routes::users', 'svc/src/main.rs')).toEqual(['svc/src/routes/users.rs'])
  })

  it('gives no file for items, external crates and paths above the root', () => {
    expect(resolve('crate::paths::USERS', 'svc/src/main.rs')).toEqual([])
    expect(resolve('axum::routing', 'svc/src/main.rs')).toEqual([])
    expect(resolve('super::x', 'svc/src/main.rs')).toEqual([])
  })
})
