/**
 * Fiber v2: https://docs.gofiber.io/guide/routing
 * `app.Get/Post/.../All(path, handlers...)`, `app.Add("GET", path, h)`, `app.Group("/api")` (also
 * passed to functions in other packages), `app.Route("/x", func(r fiber.Router) {...})`,
 * `app.Mount("/x", sub)`, `:id?` optional, `*` and `+` wildcards; `websocket.New(...)` handlers.
 */
import { goFile } from '../go/file.js'
import { collectCallbackRouters, collectGroups } from '../go/groups.js'
import { handlerKinds, STREAM_NEEDLES } from '../go/handlers.js'
import { requiresFramework } from '../go/library.js'
import { collectMounts, collectRouterArguments } from '../go/mounts.js'
import { collectRoutes } from '../go/routes.js'
import { methodVerbs, verbNeedles, type VerbSpec } from '../go/verbs.js'
import { defineExtractor, type FileFacts } from '../types.js'

const VERBS: Record<string, VerbSpec> = {
  ...methodVerbs('title'),
  All: { methods: ['ALL'], pathArg: 0 },
  Add: { methodArg: 0, pathArg: 1 },
}

export const extractor = defineExtractor({
  id: 'fiber',
  family: 'go',
  docs: 'https://docs.gofiber.io/guide/routing',
  detect: (m) => requiresFramework(m, 'fiber'),
  needles: [...verbNeedles(VERBS), '.Group(', '.Route(', '.Mount(', 'fiber.App', 'fiber.Router', 'fiber.Group', 'fiber.New(', ...STREAM_NEEDLES],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRoutes(g, ctx, 'fiber', VERBS, facts)
    collectGroups(g, 'fiber', facts, ctx)
    collectCallbackRouters(g, ctx, 'fiber', ['Route'], facts)
    collectMounts(g, ctx, 'fiber', facts)
    collectRouterArguments(g, 'fiber', facts)
    facts.handlerKinds = handlerKinds(g)
    return facts
  },
})
