import { describe, expect, it } from 'vitest'
import { fileRoute } from './file-route.js'

describe('fileRoute', () => {
  it('routes app/**/route files, with or without src/', () => {
    expect(fileRoute('app/route.ts')).toEqual({ router: 'app', path: '/' })
    expect(fileRoute('src/app/api/users/[id]/route.js')).toEqual({ router: 'app', path: '/api/users/{id}' })
    expect(fileRoute('app/docs/[...slug]/route.ts')?.path).toBe('/docs/{*slug}')
    expect(fileRoute('app/files/[[...path]]/route.ts')?.path).toBe('/files/{*path}')
  })
  it('drops route groups and unescapes %5F', () => {
    expect(fileRoute('app/(shop)/(cart)/cart/route.ts')?.path).toBe('/cart')
    expect(fileRoute('app/%5Finternal/route.ts')?.path).toBe('/_internal')
  })
  it('ignores pages, private folders, slots and intercepting routes', () => {
    expect(fileRoute('app/users/page.tsx')).toBeUndefined()
    expect(fileRoute('app/_lib/route.ts')).toBeUndefined()
    expect(fileRoute('app/@modal/login/route.ts')).toBeUndefined()
    expect(fileRoute('app/feed/(..)photo/route.ts')).toBeUndefined()
    expect(fileRoute('lib/app/route.ts')).toBeUndefined()
  })
  it('routes pages/api files, index as the folder', () => {
    expect(fileRoute('pages/api/hello.ts')).toEqual({ router: 'pages', path: '/api/hello' })
    expect(fileRoute('src/pages/api/posts/index.js')?.path).toBe('/api/posts')
    expect(fileRoute('pages/api/posts/[pid].ts')?.path).toBe('/api/posts/{pid}')
    expect(fileRoute('pages/about.tsx')).toBeUndefined()
  })
})
