/** The Go router libraries: import paths, router types, constructors and group types of each. */
import type { Manifest } from '../types.js'

export type GoFramework = 'nethttp' | 'gin' | 'echo' | 'chi' | 'fiber' | 'gorilla-mux' | 'httprouter'

interface FrameworkTable {
  /** Import paths (a major-version suffix may follow). */
  modules: string[]
  /** Exported types whose values are routers. */
  types: string[]
  /** Package functions that create a router. */
  constructors: string[]
  /** Types that are always a group of some other router: a function receiving one must be called somewhere. */
  groups: string[]
}

export const FRAMEWORKS: Record<GoFramework, FrameworkTable> = {
  nethttp: { modules: ['net/http'], types: ['ServeMux'], constructors: ['NewServeMux'], groups: [] },
  gin: { modules: ['github.com/gin-gonic/gin'], types: ['Engine', 'RouterGroup', 'IRouter', 'IRoutes'], constructors: ['Default', 'New'], groups: ['RouterGroup'] },
  echo: { modules: ['github.com/labstack/echo'], types: ['Echo', 'Group'], constructors: ['New'], groups: ['Group'] },
  // chi.Router is also the root's interface: a function taking one may receive the root.
  chi: { modules: ['github.com/go-chi/chi'], types: ['Router', 'Mux'], constructors: ['NewRouter', 'NewMux'], groups: [] },
  fiber: { modules: ['github.com/gofiber/fiber'], types: ['App', 'Router', 'Group'], constructors: ['New'], groups: ['Group'] },
  // A subrouter (`r.PathPrefix("/api").Subrouter()`) is a *mux.Router too: a function taking one may receive the root.
  'gorilla-mux': { modules: ['github.com/gorilla/mux'], types: ['Router'], constructors: ['NewRouter'], groups: [] },
  httprouter: { modules: ['github.com/julienschmidt/httprouter'], types: ['Router'], constructors: ['New'], groups: [] },
}

/** True when an import path is the module or one of its packages. */
export function isModule(path: string, module: string): boolean {
  return path === module || path.startsWith(`${module}/`)
}

/** The framework an import path belongs to. */
export function frameworkOfImport(path: string): GoFramework | undefined {
  for (const [id, table] of Object.entries(FRAMEWORKS) as Array<[GoFramework, FrameworkTable]>) {
    if (table.modules.some((m) => isModule(path, m))) return id
  }
  return undefined
}

/** True when go.mod requires the framework directly. */
export function requiresFramework(manifest: Manifest, id: GoFramework): boolean {
  return [...manifest.dependencies].some((d) => FRAMEWORKS[id].modules.some((m) => isModule(d, m)))
}
