/**
 * gorilla/mux: https://pkg.go.dev/github.com/gorilla/mux
 * `r.HandleFunc/Handle(path, h)` with `.Methods("GET", "POST")` after it (none: every method),
 * matcher chains `r.Methods("GET").Path("/x").HandlerFunc(h)` and `r.Path("/x").Methods(..).Handler(h)`,
 * subrouters `r.PathPrefix("/api").Subrouter()` (a group, also of `r.Methods(..)`: its methods), subtrees
 * `r.PathPrefix("/x").Handler(h)` (`/x/*`; another router of the module is mounted; `http.FileServer` is
 * static files, not routes), `.Name`, `.Queries`, `.Host` (ignored), `{id}` and `{id:[0-9]+}` variables,
 * routers passed to functions (`RegisterRoutes(r *mux.Router)`).
 */
import { goFile } from '../go/file.js'
import { collectGroups } from '../go/groups.js'
import { handlerKinds, STREAM_NEEDLES } from '../go/handlers.js'
import { requiresFramework } from '../go/library.js'
import { collectRouterArguments } from '../go/mounts.js'
import { collectRouteChains } from '../go/routes.js'
import { defineExtractor, type FileFacts } from '../types.js'

export const extractor = defineExtractor({
  id: 'gorilla-mux',
  family: 'go',
  docs: 'https://pkg.go.dev/github.com/gorilla/mux',
  detect: (m) => requiresFramework(m, 'gorilla-mux'),
  needles: ['.HandleFunc(', '.Handle(', '.Handler(', '.HandlerFunc(', '.Subrouter(', 'mux.Router', 'mux.NewRouter(', ...STREAM_NEEDLES],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRouteChains(g, ctx, 'gorilla-mux', facts)
    collectGroups(g, 'gorilla-mux', facts, ctx)
    collectRouterArguments(g, 'gorilla-mux', facts)
    facts.handlerKinds = handlerKinds(g)
    return facts
  },
})
