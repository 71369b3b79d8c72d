/**
 * Echo v4: https://echo.labstack.com/docs/routing
 * `e.GET/POST/.../Any(path, h, mw...)`, `e.Add("GET", path, h)`, `e.Match([]string{...}, path, h)`,
 * `e.Group("/api")` and `g.Group("/v1")` (also passed to functions in other packages), `:id` and `*`.
 */
import { goFile } from '../go/file.js'
import { collectGroups } from '../go/groups.js'
import { handlerKinds, STREAM_NEEDLES } from '../go/handlers.js'
import { requiresFramework } from '../go/library.js'
import { collectRouterArguments } from '../go/mounts.js'
import { collectRoutes } from '../go/routes.js'
import { methodVerbs, verbNeedles, type VerbSpec } from '../go/verbs.js'
import { defineExtractor, type FileFacts } from '../types.js'

const VERBS: Record<string, VerbSpec> = {
  ...methodVerbs('upper'),
  Any: { methods: ['ALL'], pathArg: 0 },
  Add: { methodArg: 0, pathArg: 1 },
  Match: { methodArg: 0, pathArg: 1 },
}

export const extractor = defineExtractor({
  id: 'echo',
  family: 'go',
  docs: 'https://echo.labstack.com/docs/routing',
  detect: (m) => requiresFramework(m, 'echo'),
  needles: [...verbNeedles(VERBS), '.Group(', 'echo.Echo', 'echo.Group', 'echo.New(', ...STREAM_NEEDLES],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRoutes(g, ctx, 'echo', VERBS, facts)
    collectGroups(g, 'echo', facts, ctx)
    collectRouterArguments(g, 'echo', facts)
    facts.handlerKinds = handlerKinds(g)
    return facts
  },
})
