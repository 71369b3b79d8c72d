/**
 * gorilla/mux: https://pkg.go.dev/github.com/gorilla/mux
 * `r.HandleFunc/Handle(path, h)` with `.Methods("GET", "POST")` after it (none: every method),
 * matcher chains `r.Methods("GET").Path("/x").HandlerFunc(h)` and `r.Path("/x").Methods(..).Handler(h)`,
 * subrouters `r.PathPrefix("/api").Subrouter()` (a group, also of `r.Methods(..)`: its methods), subtrees
 * `r.PathPrefix("/x").Handler(h)` (`/x/*`; another router of the module is mounted; `http.FileServer` is
 * static files, not routes), `.Name`, `.Queries`, `.Host` (ignored), `{id}` and `{id:[0-9]+}` variables,
 * routers passed to functions (`RegisterRoutes(r *mux.Router)`).
 */
import { extractGoRouters } from '../go/extract.js'
import { STREAM_NEEDLES } from '../go/handlers.js'
import { defineGoLibrary, requiresLibrary, typeNeedles } from '../go/library.js'
import { defineExtractor } from '../types.js'

const MUX = defineGoLibrary({
  id: 'gorilla-mux',
  modules: ['github.com/gorilla/mux'],
  // A subrouter (`r.PathPrefix("/api").Subrouter()`) is a *mux.Router too: a function taking one may receive the root.
  types: ['Router'],
  constructors: ['NewRouter'],
  groupTypes: [],
  verbs: {},
  routeChains: true,
  groups: true,
})

export const extractor = defineExtractor({
  id: 'gorilla-mux',
  family: 'go',
  docs: 'https://pkg.go.dev/github.com/gorilla/mux',
  detect: (m) => requiresLibrary(m, MUX),
  needles: ['.HandleFunc(', '.Handle(', '.Handler(', '.HandlerFunc(', '.Subrouter(', ...typeNeedles(MUX), ...STREAM_NEEDLES],
  extract: (file, ctx) => extractGoRouters(file, ctx, MUX),
})
