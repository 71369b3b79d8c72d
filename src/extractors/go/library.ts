/**
 * A Go router library as its extractor declares it: the import paths, router types and constructors
 * that tell its routers from any other value, and how routes and sub-routers are written with it.
 *
 * Each Go extractor declares its library with `defineGoLibrary` and hands it to the shared walker
 * (`extractGoRouters`). The walker must also know every other library (net/http mounting a chi
 * router, a `*gin.Engine` that is no chi router), yet it cannot import the extractors (they import
 * it): so a declaration joins the list below as its extractor module loads, and the generated
 * registry, which loads every extractor, is what makes the list whole before any file is read.
 */
import type { Manifest } from '../types.js'
import type { VerbSpec } from './verbs.js'

/** A router library of Go, declared by its extractor. */
export interface GoLibrary {
  /** The extractor's id, also the `framework` of its routers. */
  id: string
  /** Import paths (a major-version suffix may follow). */
  modules: string[]
  /** Exported types whose values are routers. */
  types: string[]
  /** Package functions that create a router. */
  constructors: string[]
  /** Types that are always a group of some other router: a function receiving one must be called somewhere. */
  groupTypes: string[]
  /** Route-registering methods (`r.GET(path, h)`) and how each reads its arguments. */
  verbs: Record<string, VerbSpec>
  /** Groups held in variables: `v1 := r.Group("/v1")`, gorilla/mux's `api := r.PathPrefix("/api").Subrouter()`. */
  groups?: boolean
  /** Methods whose callback receives a sub-router: chi's `r.Route("/x", func(r chi.Router) {...})`. */
  callbacks?: string[]
  /** `r.Mount(prefix, sub)` serves a sub-router (or any handler) under a prefix. */
  mounts?: boolean
  /** Routes are chains of matchers ending in a handler (gorilla/mux: `r.Path(p).Methods(m).Handler(h)`), and `.Subrouter()` makes a group. */
  routeChains?: boolean
  /** Methods of a request context that stream Server-Sent Events (gin's `c.Stream`), beside `SSEvent`. */
  streams?: string[]
  /**
   * The standard library (net/http): never required by go.mod, its package functions register on a
   * default router (`http.HandleFunc`), and a call on a value of unknown type is its only where go.mod
   * requires no other router library.
   */
  standard?: boolean
}

const declared = new Map<string, GoLibrary>()
let all: readonly GoLibrary[] = []

/** Declares a Go router library: the shared walker tells its routers from those of every other declared library. */
export function defineGoLibrary(library: GoLibrary): GoLibrary {
  declared.set(library.id, library)
  all = [...declared.values()]
  return library
}

/** Every declared Go router library. */
export function goLibraries(): readonly GoLibrary[] {
  return all
}

/** The declared library of an id (a router's `framework`). */
export function libraryOf(id: string | undefined): GoLibrary | undefined {
  return id === undefined ? undefined : declared.get(id)
}

/** True when an import path is the module or one of its packages. */
export function isModule(path: string, module: string): boolean {
  return path === module || path.startsWith(`${module}/`)
}

/** The library an import path belongs to. */
export function libraryOfImport(path: string): GoLibrary | undefined {
  for (const library of declared.values()) {
    if (library.modules.some((m) => isModule(path, m))) return library
  }
  return undefined
}

/** True when go.mod requires the library directly. */
export function requiresLibrary(manifest: Manifest, library: GoLibrary): boolean {
  return [...manifest.dependencies].some((d) => library.modules.some((m) => isModule(d, m)))
}

/** Text a file naming the library's router types or constructors holds: `gin.Engine`, `gin.New(`. */
export function typeNeedles(library: GoLibrary): string[] {
  const pkg = library.modules[0]!.split('/').pop()!
  return [...library.types.map((t) => `${pkg}.${t}`), ...library.constructors.map((c) => `${pkg}.${c}(`)]
}
