/**
 * julienschmidt/httprouter: https://pkg.go.dev/github.com/julienschmidt/httprouter
 * `router.GET/POST/PUT/PATCH/DELETE/HEAD/OPTIONS(path, h)`, `router.Handle(method, path, h)`,
 * `router.Handler(method, path, http.Handler)`, `router.HandlerFunc(method, path, f)`, routers passed
 * to functions and methods (`api.Register(router)`), `:id` and catch-all `*filepath` parameters.
 * `router.ServeFiles("/src/*filepath", fs)` serves static files: not a route.
 */
import { goFile } from '../go/file.js'
import { handlerKinds, STREAM_NEEDLES } from '../go/handlers.js'
import { requiresFramework } from '../go/library.js'
import { collectRouterArguments } from '../go/mounts.js'
import { collectRoutes } from '../go/routes.js'
import { methodVerbs, verbNeedles, type VerbSpec } from '../go/verbs.js'
import { defineExtractor, type FileFacts } from '../types.js'

const VERBS: Record<string, VerbSpec> = {
  ...methodVerbs('upper', ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']),
  Handle: { methodArg: 0, pathArg: 1 },
  Handler: { methodArg: 0, pathArg: 1 },
  HandlerFunc: { methodArg: 0, pathArg: 1 },
}

export const extractor = defineExtractor({
  id: 'httprouter',
  family: 'go',
  docs: 'https://pkg.go.dev/github.com/julienschmidt/httprouter',
  detect: (m) => requiresFramework(m, 'httprouter'),
  needles: [...verbNeedles(VERBS), 'httprouter.Router', 'httprouter.New(', ...STREAM_NEEDLES],
  extract(file, ctx) {
    const facts: FileFacts = { routes: [], mounts: [], routers: [] }
    const g = goFile(file)
    collectRoutes(g, ctx, 'httprouter', VERBS, facts)
    collectRouterArguments(g, 'httprouter', facts)
    facts.handlerKinds = handlerKinds(g)
    return facts
  },
})
