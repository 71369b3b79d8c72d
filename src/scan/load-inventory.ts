/**
 * A system's inventory from whatever the user points at: a source tree (scanned), an OpenAPI
 * document, or an inventory JSON saved by `parity scan --format json`.
 */
import { readFileSync, statSync } from 'node:fs'
import { ParityError } from '../model/errors.js'
import { INVENTORY_SCHEMA, type Inventory } from '../model/inventory.js'
import type { SystemResult } from '../model/run.js'
import { isSpecText } from '../openapi/openapi.js'
import { scanPath, type ScanOptions } from './scan.js'

export async function loadInventory(
  path: string,
  options: Omit<ScanOptions, 'path'> = {},
): Promise<{ inventory: Inventory; sourceKind: SystemResult['sourceKind'] }> {
  let isFile = false
  try {
    isFile = statSync(path).isFile()
  } catch {
    // scanPath reports a missing path with its hint.
  }
  if (isFile && path.endsWith('.json')) {
    let data: unknown
    try {
      data = JSON.parse(readFileSync(path, 'utf8'))
    } catch (e) {
      throw new ParityError(
        'BAD_INVENTORY',
        `${path} is not valid JSON: ${(e as Error).message}`,
        'pass a source folder, an OpenAPI document, or the output of `parity scan --format json`',
      )
    }
    const doc = data as Partial<Inventory> | null
    if (doc && typeof doc === 'object' && doc.schema === INVENTORY_SCHEMA) {
      if (!Array.isArray(doc.items) || !Array.isArray(doc.diagnostics)) {
        throw new ParityError(
          'BAD_INVENTORY',
          `${path} says it is a ${INVENTORY_SCHEMA} inventory but has no items or diagnostics`,
          'save it again with `parity scan --format json --out FILE`',
        )
      }
      return { inventory: doc as Inventory, sourceKind: 'inventory' }
    }
    if (doc && typeof doc === 'object' && 'schema' in doc && typeof doc.schema === 'string' && doc.schema.startsWith('parity.inventory/')) {
      throw new ParityError(
        'BAD_INVENTORY',
        `${path} is a ${doc.schema} inventory; this parity reads ${INVENTORY_SCHEMA}`,
        'scan the source again with this version of parity',
      )
    }
    if (!isSpecText(readFileSync(path, 'utf8').slice(0, 4096))) {
      throw new ParityError(
        'BAD_INVENTORY',
        `${path} is neither a parity inventory nor an OpenAPI document`,
        'pass a source folder, an OpenAPI document, or the output of `parity scan --format json`',
      )
    }
  }
  const inventory = await scanPath({ ...options, path })
  return { inventory, sourceKind: isFile ? 'openapi' : 'tree' }
}
