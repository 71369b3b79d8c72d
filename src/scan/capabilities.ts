import type { CapabilityItem } from '../model/inventory.js'
import type { InventoryContext } from './context.js'

/** Capabilities from the catalog, declared by a manifest and confirmed by an import or call site. */
export function detectCapabilities(ctx: InventoryContext): CapabilityItem[] {
  void ctx
  return []
}
