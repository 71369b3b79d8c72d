import type { ModuleResolver } from './types.js'

/** Not yet resolved through imports: references fall back to a unique definition by name. */
export const resolveRustModule: ModuleResolver = () => []
