import { describe, expect, it } from 'vitest'
import { compareColumnTypes, databaseType, normalizeColumnType } from './column-type.js'

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

describe('database types', () => {
  it.each([
    ['VARCHAR(255)', 'varchar(255)'],
    ['character varying (64)', 'varchar(64)'],
    ['BIGSERIAL', 'bigint'],
    ['TIMESTAMPTZ', 'timestamptz'],
    ['timestamp(3) with time zone', 'timestamptz(3)'],
    ['TIMESTAMP WITHOUT TIME ZONE', 'timestamp'],
    ['NUMERIC(10, 2)', 'numeric(10,2)'],
    ['int4[]', 'integer[]'],
  ])('%s is %s', (raw, expected) => {
    expect(databaseType(raw)).toBe(expected)
  })

  it.each([
    ['integer', 'integer', 'same'],
    ['integer', 'bigint', 'widening'],
    ['bigint', 'integer', 'narrowing'],
    ['varchar(200)', 'text', 'widening'],
    ['text', 'varchar(255)', 'narrowing'],
    ['varchar(64)', 'varchar(255)', 'widening'],
    ['varchar', 'text', 'same'],
    ['timestamp(3)', 'timestamptz', 'zone'],
    ['timestamptz', 'timestamp', 'zone'],
    ['timestamp(3)', 'timestamp', 'widening'],
    ['timestamp', 'timestamp(3)', 'narrowing'],
    ['integer', 'double precision', 'widening'],
    ['bigint', 'double precision', 'narrowing'],
    ['numeric(10,2)', 'numeric(12,2)', 'widening'],
    ['numeric(12,4)', 'numeric(12,2)', 'narrowing'],
    ['uuid', 'text', 'widening'],
    ['json', 'jsonb', 'widening'],
    ['integer', 'text', 'different'],
    ['integer[]', 'integer', 'different'],
    ['integer', 'unknown', 'unknown'],
  ] as const)('%s -> %s is %s', (baseline, candidate, expected) => {
    expect(compareColumnTypes(baseline, candidate)).toBe(expected)
  })
})
