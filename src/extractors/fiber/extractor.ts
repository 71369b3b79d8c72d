/**
 * Fiber v2: https://docs.gofiber.io/guide/routing
 * `app.Get/Post/.../All(path, handlers...)`, `app.Add("GET", path, h)`, `app.Group("/api")` (also
 * passed to functions in other packages), `app.Route("/x", func(r fiber.Router) {...})`,
 * `app.Mount("/x", sub)`, `:id?` optional, `*` and `+` wildcards; `websocket.New(...)` handlers.
 */
import { extractGoRouters } from '../go/extract.js'
import { STREAM_NEEDLES } from '../go/handlers.js'
import { defineGoLibrary, requiresLibrary, typeNeedles } from '../go/library.js'
import { methodVerbs, verbNeedles } from '../go/verbs.js'
import { defineExtractor } from '../types.js'

const FIBER = defineGoLibrary({
  id: 'fiber',
  modules: ['github.com/gofiber/fiber'],
  types: ['App', 'Router', 'Group'],
  constructors: ['New'],
  groupTypes: ['Group'],
  verbs: {
    ...methodVerbs('title'),
    All: { methods: ['ALL'], pathArg: 0 },
    Add: { methodArg: 0, pathArg: 1 },
  },
  groups: true,
  callbacks: ['Route'],
  mounts: true,
})

export const extractor = defineExtractor({
  id: 'fiber',
  family: 'go',
  docs: 'https://docs.gofiber.io/guide/routing',
  detect: (m) => requiresLibrary(m, FIBER),
  needles: [...verbNeedles(FIBER.verbs), '.Group(', '.Route(', '.Mount(', ...typeNeedles(FIBER), ...STREAM_NEEDLES],
  extract: (file, ctx) => extractGoRouters(file, ctx, FIBER),
})
