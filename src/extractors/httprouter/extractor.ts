/**
 * julienschmidt/httprouter: https://pkg.go.dev/github.com/julienschmidt/httprouter
 * `router.GET/POST/PUT/PATCH/DELETE/HEAD/OPTIONS(path, h)`, `router.Handle(method, path, h)`,
 * `router.Handler(method, path, http.Handler)`, `router.HandlerFunc(method, path, f)`, routers passed
 * to functions and methods (`api.Register(router)`), `:id` and catch-all `*filepath` parameters.
 * `router.ServeFiles("/src/*filepath", fs)` serves static files: not a route.
 */
import { extractGoRouters } from '../go/extract.js'
import { STREAM_NEEDLES } from '../go/handlers.js'
import { defineGoLibrary, requiresLibrary, typeNeedles } from '../go/library.js'
import { methodVerbs, verbNeedles } from '../go/verbs.js'
import { defineExtractor } from '../types.js'

const HTTPROUTER = defineGoLibrary({
  id: 'httprouter',
  modules: ['github.com/julienschmidt/httprouter'],
  types: ['Router'],
  constructors: ['New'],
  groupTypes: [],
  verbs: {
    ...methodVerbs('upper', ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']),
    Handle: { methodArg: 0, pathArg: 1 },
    Handler: { methodArg: 0, pathArg: 1 },
    HandlerFunc: { methodArg: 0, pathArg: 1 },
  },
})

export const extractor = defineExtractor({
  id: 'httprouter',
  family: 'go',
  docs: 'https://pkg.go.dev/github.com/julienschmidt/httprouter',
  detect: (m) => requiresLibrary(m, HTTPROUTER),
  needles: [...verbNeedles(HTTPROUTER.verbs), ...typeNeedles(HTTPROUTER), ...STREAM_NEEDLES],
  extract: (file, ctx) => extractGoRouters(file, ctx, HTTPROUTER),
})
