import type { ColumnItem, TableItem } from '../model/inventory.js'
import type { InventoryContext } from './context.js'

/** Tables and columns from SQL migrations, Prisma schemas and the ORM models extractors report. */
export function readDatabaseSchema(ctx: InventoryContext): Array<TableItem | ColumnItem> {
  void ctx
  return []
}
