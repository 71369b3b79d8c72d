import type { LanguageFamily } from '../../languages/types.js'
import { resolveGoModule } from './go.js'
import { resolveJsModule } from './js.js'
import { resolvePythonModule } from './python.js'
import { resolveRustModule } from './rust.js'
import type { ModuleResolver } from './types.js'

export const moduleResolvers: Record<LanguageFamily, ModuleResolver> = {
  js: resolveJsModule,
  rust: resolveRustModule,
  go: resolveGoModule,
  python: resolvePythonModule,
}
