/** A system's inventory as the diff takes it, for tests that build the items by hand. */
import type { SystemInventory } from '../../src/match/diff.js'
import { INVENTORY_SCHEMA, type Item } from '../../src/model/inventory.js'

export function systemInventory(name: string, role: SystemInventory['role'], items: Item[]): SystemInventory {
  return {
    name,
    role,
    source: name,
    sourceKind: 'tree',
    inventory: { schema: INVENTORY_SCHEMA, root: '.', frameworks: [], items, diagnostics: [], stats: { files: 1, parsed: 1, lines: 1, skipped: {} } },
  }
}
