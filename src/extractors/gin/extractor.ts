/**
 * gin: https://gin-gonic.com/en/docs/examples/grouping-routes/
 * `r.GET/POST/.../Any(path, handlers...)`, `r.Handle("GET", path, h)`, `r.Match([]string{...}, path, h)`,
 * `r.Group("/api")` (nested, chained, or passed to functions in other packages), `:id` and
 * `*filepath` parameters. `c.Stream`/`c.SSEvent` make a route SSE; a gorilla upgrade makes it WebSocket.
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
  ...methodVerbs('upper', ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']),
  Any: { methods: ['ALL'], pathArg: 0 },
  Handle: { methodArg: 0, pathArg: 1 },
  Match: { methodArg: 0, pathArg: 1 },
}

export const extractor = defineExtractor({
  id: 'gin',
  family: 'go',
  docs: 'https://gin-gonic.com/en/docs/examples/grouping-routes/',
  detect: (m) => requiresFramework(m, 'gin'),
  needles: [...verbNeedles(VERBS), '.Group(', 'gin.RouterGroup', 'gin.Engine', 'gin.IRouter', 'gin.IRoutes', 'gin.Default(', 'gin.New(', ...STREAM_NEEDLES],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRoutes(g, ctx, 'gin', VERBS, facts)
    collectGroups(g, 'gin', facts, ctx)
    collectRouterArguments(g, 'gin', facts)
    facts.handlerKinds = handlerKinds(g)
    return facts
  },
})
