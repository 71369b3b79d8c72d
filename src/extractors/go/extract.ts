/** The walker every Go router extractor runs, on the library it declares. */
import type { ExtractContext, FileFacts, ParsedFile } from '../types.js'
import { goFile } from './file.js'
import { collectCallbackRouters, collectGroups } from './groups.js'
import { handlerKinds } from './handlers.js'
import type { GoLibrary } from './library.js'
import { collectMounts, collectRouterArguments } from './mounts.js'
import { collectRouteChains, collectRoutes } from './routes.js'

/**
 * The routes, groups and mounts of one file on the routers of `library`, added to `facts` (an
 * extractor that reads some routes its own way, net/http's patterns, passes what it found).
 */
export function extractGoRouters(
  file: ParsedFile,
  ctx: ExtractContext,
  library: GoLibrary,
  facts: FileFacts = { routes: [], mounts: [], routers: [] },
): FileFacts {
  const g = goFile(file)
  if (Object.keys(library.verbs).length) collectRoutes(g, ctx, library, facts)
  if (library.routeChains) collectRouteChains(g, ctx, library, facts)
  if (library.groups) collectGroups(g, library, facts, ctx)
  if (library.callbacks?.length) collectCallbackRouters(g, ctx, library, facts)
  if (library.mounts) collectMounts(g, ctx, library, facts)
  collectRouterArguments(g, library, facts)
  facts.handlerKinds = handlerKinds(g)
  return facts
}
