import { posix } from 'node:path'
import type { ModuleResolver } from './types.js'

/**
 * An import path of the module itself (`example.com/shop/internal/handlers`, under the `module`
 * line of the nearest go.mod) names every non-test `.go` file of that package folder. Imports of
 * other modules (the standard library, dependencies) are external: none.
 */
export const resolveGoModule: ModuleResolver = (spec, fromFile, ctx) => {
  const manifest = ctx.manifestFor(fromFile, 'go')
  const module = manifest.module
  if (!module || manifest.file === null) return []
  if (spec !== module && !spec.startsWith(`${module}/`)) return []
  const root = posix.dirname(manifest.file)
  const dir = posix.normalize(posix.join(root, spec.slice(module.length + 1)))
  return ctx.filesInDir(dir === '' ? '.' : dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
}
