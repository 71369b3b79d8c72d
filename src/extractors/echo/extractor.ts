/**
 * Echo v4: https://echo.labstack.com/docs/routing
 * `e.GET/POST/.../Any(path, h, mw...)`, `e.Add("GET", path, h)`, `e.Match([]string{...}, path, h)`,
 * `e.Group("/api")` and `g.Group("/v1")` (also passed to functions in other packages), `:id` and `*`.
 */
import { extractGoRouters } from '../go/extract.js'
import { STREAM_NEEDLES } from '../go/handlers.js'
import { defineGoLibrary, requiresLibrary, typeNeedles } from '../go/library.js'
import { methodVerbs, verbNeedles } from '../go/verbs.js'
import { defineExtractor } from '../types.js'

const ECHO = defineGoLibrary({
  id: 'echo',
  modules: ['github.com/labstack/echo'],
  types: ['Echo', 'Group'],
  constructors: ['New'],
  groupTypes: ['Group'],
  verbs: {
    ...methodVerbs('upper'),
    Any: { methods: ['ALL'], pathArg: 0 },
    Add: { methodArg: 0, pathArg: 1 },
    Match: { methodArg: 0, pathArg: 1 },
  },
  groups: true,
})

export const extractor = defineExtractor({
  id: 'echo',
  family: 'go',
  docs: 'https://echo.labstack.com/docs/routing',
  detect: (m) => requiresLibrary(m, ECHO),
  needles: [...verbNeedles(ECHO.verbs), '.Group(', ...typeNeedles(ECHO), ...STREAM_NEEDLES],
  extract: (file, ctx) => extractGoRouters(file, ctx, ECHO),
})
