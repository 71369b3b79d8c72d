/**
 * Fiber v2: https://docs.gofiber.io/guide/routing
 * `app.Get/Post/.../All(path, handlers...)`, `app.Add("GET", path, h)`, `app.Group("/api")` (also
 * passed to functions in other packages), `app.Route("/x", func(r fiber.Router) {...})`,
 * `app.Mount("/x", sub)`, `:id?` optional, `*` and `+` wildcards; `websocket.New(...)` handlers.
 */
import { collectCallbackRouters, collectGroups, collectMounts, collectRouterArguments, collectRoutes, goFile, requiresFramework, type VerbSpec } from '../go-syntax.js'
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
  All: { methods: ['ALL'], pathArg: 0 },
  Add: { methodArg: 0, pathArg: 1 },
}

export const extractor = defineExtractor({
  id: 'fiber',
  family: 'go',
  docs: 'https://docs.gofiber.io/guide/routing',
  detect: (m) => requiresFramework(m, 'fiber'),
  needles: ['.Get(', '.Post(', '.Put(', '.Delete(', '.Patch(', '.Head(', '.Options(', '.Connect(', '.Trace(', '.All(', '.Add(', '.Group(', '.Route(', '.Mount(', 'fiber.App', 'fiber.Router', 'fiber.Group', 'fiber.New(', 'Upgrade(', 'websocket.', 'text/event-stream', '.SSEvent(', '.Stream('],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRoutes(g, ctx, 'fiber', VERBS, facts)
    collectGroups(g, 'fiber', facts)
    collectCallbackRouters(g, ctx, 'fiber', ['Route'], facts)
    collectMounts(g, ctx, 'fiber', facts)
    collectRouterArguments(g, 'fiber', facts)
    facts.handlerKinds = g.handlerKinds()
    return facts
  },
})
