/**
 * The accuracy corpus is data the benchmark trusts: every file follows corpus/README.md, routes are
 * not listed twice at one place, and no RealWorld ("Conduit") implementation is in it.
 */
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain ESM script without types
import { checkEntry, readCorpus } from '../scripts/corpus.mjs'

interface Entry {
  id: string
  repo: string
  commit: string
  frameworks: string[]
  routes: Array<{ method: string; path: string; file: string; line: number; dynamic?: string }>
  notes?: string
}

describe('corpus/*.json', () => {
  const entries = readCorpus() as Entry[]

  it('holds at least 40 repositories, each pinned by commit, every file following the format', () => {
    expect(entries.length).toBeGreaterThanOrEqual(40)
    const files = readdirSync(new URL('../corpus/', import.meta.url)).filter((f) => f.endsWith('.json'))
    expect(files).toHaveLength(entries.length)
    for (const e of entries) expect(checkEntry(e, `${e.id}.json`), e.id).toEqual([])
  })

  it('spreads over every route framework with at least two repositories each, one of them large', () => {
    const per = new Map<string, number>()
    for (const e of entries) for (const f of e.frameworks) per.set(f, (per.get(f) ?? 0) + 1)
    for (const f of [
      'express',
      'fastify',
      'koa',
      'hono',
      'nestjs',
      'nextjs',
      'axum',
      'actix',
      'rocket',
      'gin',
      'echo',
      'chi',
      'fiber',
      'nethttp',
      'fastapi',
      'flask',
      'django',
      'drf',
    ]) {
      expect(per.get(f) ?? 0, f).toBeGreaterThanOrEqual(2)
    }
    expect(Math.max(...entries.map((e) => e.routes.length))).toBeGreaterThanOrEqual(300)
  })

  it('keeps RealWorld implementations out', () => {
    for (const e of entries) expect(`${e.repo} ${e.notes ?? ''}`.toLowerCase(), e.id).not.toMatch(/realworld|conduit|gothinkster/)
  })
})
