import { describe, expect, it } from 'vitest'
import { resolvePythonModule } from './python.js'
import type { ModuleResolveContext } from './types.js'

const ctxOf = (files: string[]): ModuleResolveContext => ({
  files: new Set(files),
  filesInDir: () => [],
  manifestFor: (_file, family) => ({ family, file: null, dependencies: new Set() }),
})

describe('resolvePythonModule', () => {
  const ctx = ctxOf([
    'app/__init__.py',
    'app/main.py',
    'app/routers/__init__.py',
    'app/routers/users.py',
    'app/api/v1/items.py',
    'tests/app/routers/users.py',
    'src/blog/urls.py',
  ])

  it('resolves absolute modules by path suffix, preferring the shortest', () => {
    expect(resolvePythonModule('app.routers.users', 'app/main.py', ctx)).toEqual(['app/routers/users.py'])
    expect(resolvePythonModule('app.routers', 'app/main.py', ctx)).toEqual(['app/routers/__init__.py'])
    expect(resolvePythonModule('blog.urls', 'src/project/urls.py', ctx)).toEqual(['src/blog/urls.py'])
    expect(resolvePythonModule('fastapi', 'app/main.py', ctx)).toEqual([])
  })

  it('resolves relative modules from the importing package, one folder up per extra dot', () => {
    expect(resolvePythonModule('.users', 'app/routers/__init__.py', ctx)).toEqual(['app/routers/users.py'])
    expect(resolvePythonModule('..routers.users', 'app/api/v1/items.py', ctx)).toEqual([])
    expect(resolvePythonModule('...routers.users', 'app/api/v1/items.py', ctx)).toEqual(['app/routers/users.py'])
    expect(resolvePythonModule('.', 'app/routers/users.py', ctx)).toEqual(['app/routers/__init__.py'])
    expect(resolvePythonModule('..', 'app/routers/users.py', ctx)).toEqual(['app/__init__.py'])
  })
})
