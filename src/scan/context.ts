import type { Diagnostic, EndpointItem } from '../model/inventory.js'
import type { ManifestIndex } from './manifests.js'
import type { FileRecord } from './resolve.js'

/**
 * What the scan hands the passes that run after endpoints are resolved (services, capabilities,
 * database schema). A deferred record parses on first access to `module`; `deferred.text()`
 * reads it without parsing.
 */
export interface InventoryContext {
  /** Absolute root of the scan. */
  abs: string
  records: FileRecord[]
  manifests: ManifestIndex
  /** Manifest files, relative to the root. */
  manifestFiles: string[]
  /** `.sql` and `.prisma` files, relative to the root, in path order. */
  schemaFiles: string[]
  endpoints: EndpointItem[]
  /** Push problems here (file and line, never thrown). */
  diagnostics: Diagnostic[]
}
