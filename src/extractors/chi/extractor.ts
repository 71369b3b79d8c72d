/**
 * chi v5: https://go-chi.io/#/pages/routing
 * `r.Get/Post/...(path, h)`, `r.Method("GET", path, h)`, `r.Handle/HandleFunc(path, h)` (every
 * method), `r.Route("/api", func(r chi.Router) {...})` nested, `r.Group(func(r chi.Router) {...})`,
 * `r.Mount("/admin", adminRouter())` across packages, `r.With(mw).Get(...)`, `{id:[0-9]+}` and `/*`.
 */
import { goFile } from '../go/file.js'
import { collectCallbackRouters } from '../go/groups.js'
import { handlerKinds, STREAM_NEEDLES } from '../go/handlers.js'
import { requiresFramework } from '../go/library.js'
import { collectMounts, collectRouterArguments } from '../go/mounts.js'
import { collectRoutes } from '../go/routes.js'
import { methodVerbs, verbNeedles, type VerbSpec } from '../go/verbs.js'
import { defineExtractor, type FileFacts } from '../types.js'

const VERBS: Record<string, VerbSpec> = {
  ...methodVerbs('title'),
  Handle: { methods: ['ALL'], pathArg: 0 },
  HandleFunc: { methods: ['ALL'], pathArg: 0 },
  Method: { methodArg: 0, pathArg: 1 },
  MethodFunc: { methodArg: 0, pathArg: 1 },
}

export const extractor = defineExtractor({
  id: 'chi',
  family: 'go',
  docs: 'https://go-chi.io/#/pages/routing',
  detect: (m) => requiresFramework(m, 'chi'),
  needles: [...verbNeedles(VERBS), '.Route(', '.Mount(', '.Group(', '.With(', 'chi.Router', 'chi.Mux', 'chi.NewRouter(', 'chi.NewMux(', ...STREAM_NEEDLES],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRoutes(g, ctx, 'chi', VERBS, facts)
    collectCallbackRouters(g, ctx, 'chi', ['Route', 'Group'], facts)
    collectMounts(g, ctx, 'chi', facts)
    collectRouterArguments(g, 'chi', facts)
    facts.handlerKinds = handlerKinds(g)
    return facts
  },
})
