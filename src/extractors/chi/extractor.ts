/**
 * chi v5: https://go-chi.io/#/pages/routing
 * `r.Get/Post/...(path, h)`, `r.Method("GET", path, h)`, `r.Handle/HandleFunc(path, h)` (every
 * method), `r.Route("/api", func(r chi.Router) {...})` nested, `r.Group(func(r chi.Router) {...})`,
 * `r.Mount("/admin", adminRouter())` across packages, `r.With(mw).Get(...)`, `{id:[0-9]+}` and `/*`.
 */
import { collectCallbackRouters, collectMounts, collectRouterArguments, collectRoutes, goFile, requiresFramework, type VerbSpec } from '../go-syntax.js'
import { defineExtractor, type FileFacts } from '../types.js'

const VERBS: Record<string, VerbSpec> = {
  Get: { methods: ['GET'], pathArg: 0 },
  Post: { methods: ['POST'], pathArg: 0 },
  Put: { methods: ['PUT'], pathArg: 0 },
  Delete: { methods: ['DELETE'], pathArg: 0 },
  Patch: { methods: ['PATCH'], pathArg: 0 },
  Head: { methods: ['HEAD'], pathArg: 0 },
  Options: { methods: ['OPTIONS'], pathArg: 0 },
  Connect: { methods: ['CONNECT'], pathArg: 0 },
  Trace: { methods: ['TRACE'], pathArg: 0 },
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
  needles: ['.Get(', '.Post(', '.Put(', '.Delete(', '.Patch(', '.Head(', '.Options(', '.Connect(', '.Trace(', '.Method(', '.MethodFunc(', '.Handle(', '.HandleFunc(', '.Route(', '.Mount(', '.Group(', '.With(', 'chi.Router', 'chi.Mux', 'chi.NewRouter(', 'chi.NewMux(', 'Upgrade(', 'websocket.', 'text/event-stream', '.SSEvent(', '.Stream('],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRoutes(g, ctx, 'chi', VERBS, facts)
    collectCallbackRouters(g, ctx, 'chi', ['Route', 'Group'], facts)
    collectMounts(g, ctx, 'chi', facts)
    collectRouterArguments(g, 'chi', facts)
    facts.handlerKinds = g.handlerKinds()
    return facts
  },
})
