import { describe, expect, it } from 'vitest'
import type { Manifest } from '../../extractors/types.js'
import { resolveGoModule } from './go.js'
import type { ModuleResolveContext } from './types.js'

const files = [
  'svc/go.mod',
  'svc/main.go',
  'svc/internal/handlers/users.go',
  'svc/internal/handlers/users_test.go',
  'svc/internal/handlers/orders.go',
  'other.go',
]
const manifest: Manifest = { family: 'go', file: 'svc/go.mod', dependencies: new Set(), module: 'example.com/shop' }
const ctx: ModuleResolveContext = {
  files: new Set(files),
  filesInDir: (dir) => files.filter((f) => f.slice(0, Math.max(f.lastIndexOf('/'), 0)) === (dir === '.' ? '' : dir)),
  manifestFor: (file) => (file.startsWith('svc/') ? manifest : { family: 'go', file: null, dependencies: new Set() }),
}

describe('resolveGoModule', () => {
  it('names every non-test file of a package of the module', () => {
    expect(resolveGoModule('example.com/shop/internal/handlers', 'svc/main.go', ctx)).toEqual([
      'svc/internal/handlers/users.go',
      'svc/internal/handlers/orders.go',
    ])
  })
  it('resolves the module root package', () => {
    expect(resolveGoModule('example.com/shop', 'svc/internal/handlers/users.go', ctx)).toEqual(['svc/main.go'])
  })
  it('leaves the standard library, dependencies and files without go.mod external', () => {
    expect(resolveGoModule('net/http', 'svc/main.go', ctx)).toEqual([])
    expect(resolveGoModule('example.com/shopping', 'svc/main.go', ctx)).toEqual([])
    expect(resolveGoModule('example.com/shop/internal/handlers', 'other.go', ctx)).toEqual([])
  })
})
