/**
 * chi v5: https://go-chi.io/#/pages/routing
 * `r.Get/Post/...(path, h)`, `r.Method("GET", path, h)`, `r.Handle/HandleFunc(path, h)` (every
 * method), `r.Route("/api", func(r chi.Router) {...})` nested, `r.Group(func(r chi.Router) {...})`,
 * `r.Mount("/admin", adminRouter())` across packages, `r.With(mw).Get(...)`, `{id:[0-9]+}` and `/*`.
 */
import { extractGoRouters } from '../go/extract.js'
import { STREAM_NEEDLES } from '../go/handlers.js'
import { defineGoLibrary, requiresLibrary, typeNeedles } from '../go/library.js'
import { methodVerbs, verbNeedles } from '../go/verbs.js'
import { defineExtractor } from '../types.js'

const CHI = defineGoLibrary({
  id: 'chi',
  modules: ['github.com/go-chi/chi'],
  // chi.Router is also the root's interface: a function taking one may receive the root.
  types: ['Router', 'Mux'],
  constructors: ['NewRouter', 'NewMux'],
  groupTypes: [],
  verbs: {
    ...methodVerbs('title'),
    Handle: { methods: ['ALL'], pathArg: 0 },
    HandleFunc: { methods: ['ALL'], pathArg: 0 },
    Method: { methodArg: 0, pathArg: 1 },
    MethodFunc: { methodArg: 0, pathArg: 1 },
  },
  callbacks: ['Route', 'Group'],
  mounts: true,
})

export const extractor = defineExtractor({
  id: 'chi',
  family: 'go',
  docs: 'https://go-chi.io/#/pages/routing',
  detect: (m) => requiresLibrary(m, CHI),
  needles: [...verbNeedles(CHI.verbs), '.Route(', '.Mount(', '.Group(', '.With(', ...typeNeedles(CHI), ...STREAM_NEEDLES],
  extract: (file, ctx) => extractGoRouters(file, ctx, CHI),
})
