import { describe, expect, it } from 'vitest'
import type { Diagnostic } from '../model/inventory.js'
import { ManifestIndex, readManifest } from './manifests.js'

const read = (rel: string, text: string) => {
  const diagnostics: Diagnostic[] = []
  return { entry: readManifest(rel, text, diagnostics), diagnostics }
}

describe('readManifest', () => {
  it('reads direct npm dependencies of every kind', () => {
    const { entry } = read('api/package.json', JSON.stringify({ dependencies: { express: '5' }, devDependencies: { vitest: '4' } }))
    expect([...entry!.dependencies].sort()).toEqual(['express', 'vitest'])
    expect(entry!.family).toBe('js')
  })
  it('keeps only direct go.mod requirements', () => {
    const { entry } = read(
      'go.mod',
      'module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/go-chi/chi/v5 v5.0.0 // indirect\n)\nrequire github.com/labstack/echo/v4 v4.12.0\n',
    )
    expect([...entry!.dependencies].sort()).toEqual(['github.com/gin-gonic/gin', 'github.com/labstack/echo/v4'])
    expect(entry!.module).toBe('example.com/shop')
  })
  it('reads Cargo, pyproject, Pipfile and requirements files', () => {
    expect([...read('Cargo.toml', '[package]\nname="x"\n[dependencies]\naxum = "0.8"\ntokio = { version = "1" }\n').entry!.dependencies]).toEqual([
      'axum',
      'tokio',
    ])
    expect([...read('pyproject.toml', '[project]\nname="x"\ndependencies=["FastAPI>=0.110", "sse_starlette"]\n').entry!.dependencies]).toEqual([
      'fastapi',
      'sse-starlette',
    ])
    expect([...read('Pipfile', '[packages]\nflask = "*"\n').entry!.dependencies]).toEqual(['flask'])
    expect([...read('requirements.txt', '# web\nDjango==5.0 # pinned\n-r base.txt\ndjangorestframework\n').entry!.dependencies]).toEqual([
      'django',
      'djangorestframework',
    ])
  })
  it('turns a malformed manifest into a diagnostic', () => {
    const { entry, diagnostics } = read('svc/package.json', '{ "dependencies": ')
    expect(entry).toBeUndefined()
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'BAD_MANIFEST', file: 'svc/package.json' })])
  })
})

describe('ManifestIndex.nearest', () => {
  it('finds the nearest manifest of the same family, or an empty one', () => {
    const index = new ManifestIndex()
    index.add(read('package.json', '{"dependencies":{"@nestjs/core":"10"}}').entry!)
    index.add(read('services/legacy/package.json', '{"dependencies":{"express":"4"}}').entry!)
    expect(index.nearest('services/legacy/src/app.ts', 'js').dependencies.has('express')).toBe(true)
    expect(index.nearest('src/main.ts', 'js').dependencies.has('express')).toBe(false)
    expect(index.nearest('src/main.py', 'python').file).toBeNull()
  })
  it('gives JS files the path aliases of the nearest tsconfig, through extends and baseUrl', () => {
    const index = new ManifestIndex()
    const diagnostics: Diagnostic[] = []
    index.addTsconfig(
      'tsconfig.json',
      '{\n  // comments and trailing commas\n  "compilerOptions": { "baseUrl": "src", "paths": { "@server/*": ["../server/*"], "@app/*": ["*"], }, },\n}',
      diagnostics,
    )
    index.addTsconfig('server/tsconfig.json', JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { outDir: '../dist' } }), diagnostics)
    index.addTsconfig('web/tsconfig.json', '{ "compilerOptions": { "paths": { "~lib": ["./lib/index.ts"] } } }', diagnostics)
    expect(diagnostics).toEqual([])
    expect(index.nearest('server/routes/index.ts', 'js').aliases).toEqual([
      { pattern: '@server/*', targets: ['server/*'] },
      { pattern: '@app/*', targets: ['src/*'] },
    ])
    expect(index.nearest('web/pages/a.ts', 'js').aliases).toEqual([{ pattern: '~lib', targets: ['web/lib/index.ts'] }])
    expect(index.nearest('main.py', 'python').aliases).toBeUndefined()
  })
})
