/**
 * Echo v4: https://echo.labstack.com/docs/routing
 * `e.GET/POST/.../Any(path, h, mw...)`, `e.Add("GET", path, h)`, `e.Match([]string{...}, path, h)`,
 * `e.Group("/api")` and `g.Group("/v1")` (also passed to functions in other packages), `:id` and `*`.
 */
import { collectGroups, collectRouterArguments, collectRoutes, goFile, requiresFramework, type VerbSpec } from '../go-syntax.js'
import { defineExtractor, type FileFacts } from '../types.js'

const VERBS: Record<string, VerbSpec> = {
  GET: { methods: ['GET'], pathArg: 0 },
  POST: { methods: ['POST'], pathArg: 0 },
  PUT: { methods: ['PUT'], pathArg: 0 },
  DELETE: { methods: ['DELETE'], pathArg: 0 },
  PATCH: { methods: ['PATCH'], pathArg: 0 },
  HEAD: { methods: ['HEAD'], pathArg: 0 },
  OPTIONS: { methods: ['OPTIONS'], pathArg: 0 },
  CONNECT: { methods: ['CONNECT'], pathArg: 0 },
  TRACE: { methods: ['TRACE'], pathArg: 0 },
  Any: { methods: ['ALL'], pathArg: 0 },
  Add: { methodArg: 0, pathArg: 1 },
  Match: { methodArg: 0, pathArg: 1 },
}

export const extractor = defineExtractor({
  id: 'echo',
  family: 'go',
  docs: 'https://echo.labstack.com/docs/routing',
  detect: (m) => requiresFramework(m, 'echo'),
  needles: ['.GET(', '.POST(', '.PUT(', '.DELETE(', '.PATCH(', '.HEAD(', '.OPTIONS(', '.CONNECT(', '.TRACE(', '.Any(', '.Add(', '.Match(', '.Group(', 'echo.Echo', 'echo.Group', 'echo.New(', 'Upgrade(', 'websocket.', 'text/event-stream', '.SSEvent(', '.Stream('],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRoutes(g, ctx, 'echo', VERBS, facts)
    collectGroups(g, 'echo', facts)
    collectRouterArguments(g, 'echo', facts)
    facts.handlerKinds = g.handlerKinds()
    return facts
  },
})
