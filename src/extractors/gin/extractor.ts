/**
 * gin: https://gin-gonic.com/en/docs/examples/grouping-routes/
 * `r.GET/POST/.../Any(path, handlers...)`, `r.Handle("GET", path, h)`, `r.Match([]string{...}, path, h)`,
 * `r.Group("/api")` (nested, chained, or passed to functions in other packages), `:id` and
 * `*filepath` parameters. `c.Stream`/`c.SSEvent` make a route SSE; a gorilla upgrade makes it WebSocket.
 */
import { extractGoRouters } from '../go/extract.js'
import { STREAM_NEEDLES } from '../go/handlers.js'
import { defineGoLibrary, requiresLibrary, typeNeedles } from '../go/library.js'
import { methodVerbs, verbNeedles } from '../go/verbs.js'
import { defineExtractor } from '../types.js'

const GIN = defineGoLibrary({
  id: 'gin',
  modules: ['github.com/gin-gonic/gin'],
  types: ['Engine', 'RouterGroup', 'IRouter', 'IRoutes'],
  constructors: ['Default', 'New'],
  groupTypes: ['RouterGroup'],
  verbs: {
    ...methodVerbs('upper', ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']),
    Any: { methods: ['ALL'], pathArg: 0 },
    Handle: { methodArg: 0, pathArg: 1 },
    Match: { methodArg: 0, pathArg: 1 },
  },
  groups: true,
  streams: ['Stream'],
})

export const extractor = defineExtractor({
  id: 'gin',
  family: 'go',
  docs: 'https://gin-gonic.com/en/docs/examples/grouping-routes/',
  detect: (m) => requiresLibrary(m, GIN),
  needles: [...verbNeedles(GIN.verbs), '.Group(', ...typeNeedles(GIN), ...STREAM_NEEDLES],
  extract: (file, ctx) => extractGoRouters(file, ctx, GIN),
})
