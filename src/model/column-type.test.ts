import { expect, it } from 'vitest'
import { normalizeColumnType } from './column-type.js'

it.each([
  ['VARCHAR(255)', 'varchar'],
  ['character varying', 'varchar'],
  ['String', 'varchar'],
  ['BIGSERIAL', 'bigint'],
  ['int8', 'bigint'],
  ['INTEGER', 'integer'],
  ['timestamptz', 'timestamp'],
  ['DateTime', 'timestamp'],
  ['TIMESTAMP WITH TIME ZONE', 'timestamp'],
  ['jsonb', 'json'],
  ['text[]', 'text[]'],
  ['NUMERIC(10, 2)', 'numeric'],
  ['geometry', 'geometry'],
])('%s -> %s', (raw, expected) => {
  expect(normalizeColumnType(raw)).toBe(expected)
})
