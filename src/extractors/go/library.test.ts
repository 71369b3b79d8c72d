import { describe, expect, it } from 'vitest'
import { builtinExtractors } from '../registry.js'
import { goLibraries, libraryOf, libraryOfImport, requiresLibrary, typeNeedles } from './library.js'

describe('Go router libraries', () => {
  it('are declared by the Go route extractors the registry loads, one each, under their ids', () => {
    const routeExtractors = builtinExtractors.filter((x) => x.family === 'go' && (x.provides ?? ['routes']).includes('routes')).map((x) => x.id)
    expect(
      goLibraries()
        .map((l) => l.id)
        .sort(),
    ).toEqual(routeExtractors.sort())
  })
  it('own the packages of their modules, major versions included', () => {
    expect(libraryOfImport('github.com/labstack/echo/v4')?.id).toBe('echo')
    expect(libraryOfImport('github.com/go-chi/chi/v5/middleware')?.id).toBe('chi')
    expect(libraryOfImport('net/http')?.id).toBe('nethttp')
    expect(libraryOfImport('github.com/gin-contrib/cors')).toBeUndefined()
  })
  it('are required by a go.mod that lists them directly', () => {
    const manifest = { family: 'go' as const, file: 'go.mod', dependencies: new Set(['github.com/gofiber/fiber/v2']) }
    expect(requiresLibrary(manifest, libraryOf('fiber')!)).toBe(true)
    expect(requiresLibrary(manifest, libraryOf('gin')!)).toBe(false)
  })
  it('name their router types and constructors as a file writes them', () => {
    expect(typeNeedles(libraryOf('gorilla-mux')!)).toEqual(['mux.Router', 'mux.NewRouter('])
    expect(typeNeedles(libraryOf('nethttp')!)).toEqual(['http.ServeMux', 'http.NewServeMux('])
  })
})
