import type { ServiceItem } from '../model/inventory.js'
import type { InventoryContext } from './context.js'

/** Deployable services of a monorepo, with language, framework, size, routes and port. */
export function detectServices(ctx: InventoryContext): ServiceItem[] {
  void ctx
  return []
}
