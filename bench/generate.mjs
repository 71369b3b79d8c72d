#!/usr/bin/env node
// Synthetic monorepo for `bench/scan.mjs`: services in TypeScript/JavaScript, Rust, Go and Python on
// every framework parity knows, written from a seeded PRNG so that a given --seed and --lines give
// the same tree byte for byte. Each service has a manifest, an entry file mounting route modules of
// other files under constant prefixes, handlers, models and mostly plain code (the bulk of a real
// tree), plus ignored folders (node_modules, target, vendor, .venv, gitignored) full of route-like
// code that must be skipped, a few big files, a too-large file, a minified bundle and one file with a
// syntax error per language. The generator counts the routes it writes per framework and service.
//
// Usage: node bench/generate.mjs [--lines N] [--seed S] [--out DIR] [--keep] [--json]
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Framework id -> language family. Services cycle through these and four framework-free workers. */
export const FRAMEWORKS = {
  express: 'js',
  fastify: 'js',
  koa: 'js',
  hono: 'js',
  nestjs: 'js',
  nextjs: 'js',
  axum: 'rust',
  actix: 'rust',
  rocket: 'rust',
  gin: 'go',
  echo: 'go',
  chi: 'go',
  fiber: 'go',
  nethttp: 'go',
  fastapi: 'python',
  flask: 'python',
  django: 'python',
  drf: 'python',
}
const KINDS = [...Object.keys(FRAMEWORKS), 'worker-js', 'worker-rust', 'worker-go', 'worker-python']

// ---------------------------------------------------------------------------------------------
// Deterministic randomness and names

/** mulberry32: small, fast, good enough for synthetic code. */
export function createRng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1))
  return {
    next,
    int,
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    shuffle: (list) => {
      const out = [...list]
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i)
        ;[out[i], out[j]] = [out[j], out[i]]
      }
      return out
    },
  }
}

const RESOURCES = [
  'orders',
  'invoices',
  'customers',
  'products',
  'payments',
  'shipments',
  'carts',
  'reviews',
  'coupons',
  'accounts',
  'sessions',
  'teams',
  'projects',
  'tasks',
  'comments',
  'tags',
  'notifications',
  'webhooks',
  'reports',
  'audits',
  'subscriptions',
  'plans',
  'warehouses',
  'suppliers',
  'refunds',
  'tickets',
  'messages',
  'channels',
  'documents',
  'images',
  'users',
  'roles',
  'permissions',
  'devices',
  'locations',
  'bookings',
  'rooms',
  'vehicles',
  'drivers',
  'trips',
  'quotes',
  'contracts',
  'leads',
  'campaigns',
  'segments',
  'articles',
  'authors',
  'categories',
  'brands',
  'batches',
  'jobs',
  'alerts',
  'metrics',
  'dashboards',
  'widgets',
  'policies',
  'claims',
  'members',
  'groups',
  'invites',
  'tokens',
  'budgets',
  'expenses',
  'ledgers',
  'transfers',
  'deposits',
  'loans',
  'assets',
]
const DOMAINS = [
  'billing',
  'catalog',
  'checkout',
  'identity',
  'inventory',
  'logistics',
  'messaging',
  'analytics',
  'search',
  'payments',
  'pricing',
  'fulfilment',
  'support',
  'onboarding',
  'scheduling',
  'reporting',
  'ledger',
  'media',
  'notifications',
  'accounts',
  'loyalty',
  'marketplace',
  'routing',
  'compliance',
]
const VERBS = [
  'compute',
  'build',
  'resolve',
  'collect',
  'merge',
  'apply',
  'score',
  'normalize',
  'summarize',
  'validate',
  'reconcile',
  'estimate',
  'rank',
  'split',
  'project',
]
const NOUNS = [
  'totals',
  'discount',
  'balance',
  'window',
  'quota',
  'weight',
  'margin',
  'backlog',
  'forecast',
  'threshold',
  'penalty',
  'bucket',
  'ratio',
  'offset',
  'budget',
  'latency',
  'capacity',
]
const SUFFIXES = ['Record', 'Entry', 'Snapshot', 'Summary', 'Line', 'Batch', 'View', 'Event', 'State', 'Row']
const PHRASES = [
  'cache miss',
  'recomputed value',
  'skipping inactive entry',
  'threshold reached',
  'applying factor',
  'partial result',
  'fallback path',
  'retry budget',
  'normalised amount',
  'window closed',
]
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'north', 'south', 'east', 'west', 'primary', 'replica', 'hot', 'cold', 'eu', 'us', 'apac']
const COMMENTS = [
  'keep the cheap checks first: most entries are inactive',
  'amounts are in minor units, never floats',
  'the upstream service rounds half-up; match it',
  'TODO: move this to the shared pricing module',
  'see the incident review for why this is capped',
  'order matters: later rules override earlier ones',
  'a zero factor means the feature flag is off',
  'guard against empty batches from the importer',
]

const pascal = (s) =>
  s
    .split(/[-_ ]/)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')
const camel = (s) => {
  const p = pascal(s)
  return p[0].toLowerCase() + p.slice(1)
}
const snake = (s) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase()
function singular(word) {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`
  if (/(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2)
  return word.endsWith('s') ? word.slice(0, -1) : word
}

// ---------------------------------------------------------------------------------------------
// Plain code in four languages: types, functions, classes with generated bodies

const SYN = {
  ts: {
    ind: '  ',
    decl: (v, e) => `const ${v} = ${e}`,
    acc: (e) => `total += ${e}`,
    ifOpen: (c) => `if (${c}) {`,
    elseOpen: '} else {',
    close: '}',
    forOpen: () => 'for (const item of items) {',
    log: (m, v) => `logger.debug('${m}', { value: ${v} })`,
    comment: (t) => `// ${t}`,
    lookup: (v, w) => `const ${v} = registry.get('${w}') ?? 0`,
    max: (a, b) => `Math.max(${a}, ${b})`,
    len: 'items.length',
    field: (f) => `item.${f}`,
    even: (a) => `${a} % 2 === 0`,
    and: '&&',
    div: '/',
    fields: { qty: 'quantity', amount: 'amount', active: 'active' },
  },
  go: {
    ind: '\t',
    decl: (v, e) => `${v} := ${e}`,
    acc: (e) => `total += ${e}`,
    ifOpen: (c) => `if ${c} {`,
    elseOpen: '} else {',
    close: '}',
    forOpen: () => 'for _, item := range items {',
    log: (m, v) => `log.Printf("${m}: %d", ${v})`,
    comment: (t) => `// ${t}`,
    lookup: (v, w) => `${v} := registry["${w}"]`,
    max: (a, b) => `max(${a}, ${b})`,
    len: 'len(items)',
    field: (f) => `item.${f}`,
    even: (a) => `${a}%2 == 0`,
    and: '&&',
    div: '/',
    fields: { qty: 'Quantity', amount: 'Amount', active: 'Active' },
  },
  rust: {
    ind: '    ',
    decl: (v, e) => `let ${v} = ${e};`,
    acc: (e) => `total += ${e};`,
    ifOpen: (c) => `if ${c} {`,
    elseOpen: '} else {',
    close: '}',
    forOpen: () => 'for item in items.iter() {',
    log: (m, v) => `tracing::debug!("${m}: {}", ${v});`,
    comment: (t) => `// ${t}`,
    lookup: (v, w) => `let ${v} = registry.get("${w}").copied().unwrap_or(0);`,
    max: (a, b) => `${a}.max(${b})`,
    len: 'items.len() as i64',
    field: (f) => `item.${f}`,
    even: (a) => `${a} % 2 == 0`,
    and: '&&',
    div: '/',
    fields: { qty: 'quantity', amount: 'amount', active: 'active' },
  },
  py: {
    ind: '    ',
    decl: (v, e) => `${v} = ${e}`,
    acc: (e) => `total += ${e}`,
    ifOpen: (c) => `if ${c}:`,
    elseOpen: 'else:',
    close: null,
    forOpen: () => 'for item in items:',
    log: (m, v) => `logger.debug("${m}: %s", ${v})`,
    comment: (t) => `# ${t}`,
    lookup: (v, w) => `${v} = registry.get("${w}", 0)`,
    max: (a, b) => `max(${a}, ${b})`,
    len: 'len(items)',
    field: (f) => `item.${f}`,
    even: (a) => `${a} % 2 == 0`,
    and: 'and',
    div: '//',
    fields: { qty: 'quantity', amount: 'amount', active: 'active' },
  },
}
SYN.js = SYN.ts

/** Code generator for one language, with a per-file counter for unique names. */
function coder(lang, rng) {
  const S = SYN[lang]
  let serial = 0
  const uniq = () => ++serial

  const body = (indent, n, depth, inLoop, vars) => {
    vars = [...vars]
    const out = []
    const num = () => {
      const pool = [...vars, 'total', 'factor']
      if (inLoop) pool.push(S.field(S.fields.qty), S.field(S.fields.amount))
      return rng.pick(pool)
    }
    const expr = () => {
      const a = num()
      switch (rng.int(0, 5)) {
        case 0:
          return `${a} * ${rng.int(2, 9)}`
        case 1:
          return `${a} + ${num()}`
        case 2:
          return `${a} - ${rng.int(1, 99)}`
        case 3:
          return S.max(a, rng.int(1, 500))
        case 4:
          return S.len
        default:
          return `(${a} + ${rng.int(1, 50)}) ${S.div} ${rng.int(2, 7)}`
      }
    }
    const cond = () => {
      const a = num()
      const c = rng.chance(0.5) ? `${a} > ${rng.int(0, 1000)}` : S.even(a)
      return inLoop && rng.chance(0.5) ? `${S.field(S.fields.active)} ${S.and} ${c}` : c
    }
    for (let i = 0; i < n; i++) {
      const r = rng.next()
      if (i === 0 && depth > 0) out.push(indent + S.acc(expr()))
      else if (depth < 2 && r < 0.14) {
        out.push(indent + S.ifOpen(cond()))
        out.push(...body(indent + S.ind, rng.int(1, 3), depth + 1, inLoop, vars))
        if (rng.chance(0.4)) {
          out.push(indent + S.elseOpen)
          out.push(...body(indent + S.ind, rng.int(1, 2), depth + 1, inLoop, vars))
        }
        if (S.close) out.push(indent + S.close)
      } else if (depth < 2 && !inLoop && r < 0.24) {
        out.push(indent + S.forOpen())
        out.push(...body(indent + S.ind, rng.int(1, 4), depth + 1, true, vars))
        if (S.close) out.push(indent + S.close)
      } else if (r < 0.46) {
        const v = `${rng.pick(NOUNS)}${uniq()}`
        out.push(indent + S.decl(v, expr()))
        vars.push(v)
      } else if (r < 0.66) out.push(indent + S.acc(expr()))
      else if (r < 0.78) out.push(indent + S.log(rng.pick(PHRASES), num()))
      else if (r < 0.88) {
        const v = `${rng.pick(WORDS)}${uniq()}`
        out.push(indent + S.lookup(v, rng.pick(WORDS)))
        vars.push(v)
      } else out.push(indent + S.comment(rng.pick(COMMENTS)))
    }
    return out
  }

  const fnName = () => `${rng.pick(VERBS)}${pascal(rng.pick(NOUNS))}${uniq()}`
  const doc = () => `${rng.pick(VERBS)}s the ${rng.pick(NOUNS)} of a batch; ${rng.pick(COMMENTS)}.`

  /** A record type with the fields the bodies read. */
  const typeDef = (T) => {
    const extra = rng.int(0, 5)
    const names = Array.from({ length: extra }, () => `${rng.pick(NOUNS)}${uniq()}`)
    if (lang === 'ts')
      return [
        `export interface ${T} {`,
        '  id: string',
        '  name: string',
        '  quantity: number',
        '  amount: number',
        '  active: boolean',
        ...names.map((n) => `  ${n}?: number`),
        '}',
        '',
      ]
    if (lang === 'js')
      return [
        '/**',
        ` * @typedef {object} ${T}`,
        ' * @property {string} id',
        ' * @property {number} quantity',
        ' * @property {number} amount',
        ' * @property {boolean} active',
        ' */',
        '',
      ]
    if (lang === 'go')
      return [
        `type ${T} struct {`,
        '\tID       string `json:"id"`',
        '\tName     string `json:"name"`',
        '\tQuantity int    `json:"quantity"`',
        '\tAmount   int    `json:"amount"`',
        '\tActive   bool   `json:"active"`',
        ...names.map((n) => `\t${pascal(n)} int \`json:"${snake(n)}"\``),
        '}',
        '',
      ]
    if (lang === 'rust')
      return [
        '#[derive(Debug, Clone, Default, Serialize, Deserialize)]',
        `pub struct ${T} {`,
        '    pub id: String,',
        '    pub name: String,',
        '    pub quantity: i64,',
        '    pub amount: i64,',
        '    pub active: bool,',
        ...names.map((n) => `    pub ${snake(n)}: Option<i64>,`),
        '}',
        '',
      ]
    return [
      '@dataclass',
      `class ${T}:`,
      '    id: str',
      '    name: str',
      '    quantity: int = 0',
      '    amount: int = 0',
      '    active: bool = True',
      ...names.map((n) => `    ${snake(n)}: int | None = None`),
      '',
      '',
    ]
  }

  /** A standalone function over `items` and `factor`. */
  const func = (T) => {
    const name = fnName()
    const n = rng.int(3, 14)
    if (lang === 'ts' || lang === 'js') {
      const sig = lang === 'ts' ? `export function ${name}(items: ${T}[], factor: number): number {` : `function ${name}(items, factor) {`
      return [`/** ${doc()} */`, sig, '  let total = 0', ...body('  ', n, 0, false, []), '  return total', '}', '']
    }
    if (lang === 'go')
      return [
        `// ${pascal(name)} ${doc()}`,
        `func ${pascal(name)}(items []${T}, factor int) int {`,
        '\ttotal := 0',
        ...body('\t', n, 0, false, []),
        '\treturn total',
        '}',
        '',
      ]
    if (lang === 'rust')
      return [
        `/// ${doc()}`,
        `pub fn ${snake(name)}(items: &[${T}], factor: i64) -> i64 {`,
        '    let mut total: i64 = 0;',
        ...body('    ', n, 0, false, []),
        '    total',
        '}',
        '',
      ]
    return [
      `def ${snake(name)}(items: list[${T}], factor: int) -> int:`,
      `    """${doc()}"""`,
      '    total = 0',
      ...body('    ', n, 0, false, []),
      '    return total',
      '',
      '',
    ]
  }

  /** A service class (Go: struct and methods; Rust: struct and impl) with a few methods. */
  const klass = (T) => {
    const C = `${T}${rng.pick(['Service', 'Repository', 'Aggregator', 'Planner', 'Cache'])}${uniq()}`
    const methods = rng.int(2, 5)
    const out = []
    if (lang === 'ts' || lang === 'js') {
      out.push(`export class ${C} {`)
      if (lang === 'ts')
        out.push(
          '  private readonly seen = new Map<string, number>()',
          '',
          `  constructor(private readonly prefix: string, private readonly limit: number) {}`,
          '',
        )
      else out.push('  constructor(prefix, limit) {', '    this.prefix = prefix', '    this.limit = limit', '    this.seen = new Map()', '  }', '')
      for (let i = 0; i < methods; i++) {
        const m = fnName()
        out.push(
          lang === 'ts' ? `  ${m}(items: ${T}[], factor: number): number {` : `  ${m}(items, factor) {`,
          '    let total = 0',
          ...body('    ', rng.int(3, 10), 0, false, []),
          '    this.seen.set(this.prefix, total)',
          '    return Math.min(total, this.limit)',
          '  }',
          '',
        )
      }
      out.push('}', '')
    } else if (lang === 'go') {
      out.push(`// ${C} ${doc()}`, `type ${C} struct {`, '\tprefix string', '\tlimit  int', '\tseen   map[string]int', '}', '')
      for (let i = 0; i < methods; i++) {
        out.push(
          `func (s *${C}) ${pascal(fnName())}(items []${T}, factor int) int {`,
          '\ttotal := 0',
          ...body('\t', rng.int(3, 10), 0, false, []),
          '\ts.seen[s.prefix] = total',
          '\treturn min(total, s.limit)',
          '}',
          '',
        )
      }
    } else if (lang === 'rust') {
      out.push(
        '#[derive(Debug, Default)]',
        `pub struct ${C} {`,
        '    prefix: String,',
        '    limit: i64,',
        '    seen: HashMap<String, i64>,',
        '}',
        '',
        `impl ${C} {`,
        '    pub fn new(prefix: &str, limit: i64) -> Self {',
        '        Self { prefix: prefix.to_string(), limit, seen: HashMap::new() }',
        '    }',
        '',
      )
      for (let i = 0; i < methods; i++) {
        out.push(
          `    pub fn ${snake(fnName())}(&mut self, items: &[${T}], factor: i64) -> i64 {`,
          '        let mut total: i64 = 0;',
          ...body('        ', rng.int(3, 10), 0, false, []),
          '        self.seen.insert(self.prefix.clone(), total);',
          '        total.min(self.limit)',
          '    }',
          '',
        )
      }
      out.push('}', '')
    } else {
      out.push(
        `class ${C}:`,
        `    """${doc()}"""`,
        '',
        '    def __init__(self, prefix: str, limit: int) -> None:',
        '        self.prefix = prefix',
        '        self.limit = limit',
        '        self.seen: dict[str, int] = {}',
        '',
      )
      for (let i = 0; i < methods; i++) {
        out.push(
          `    def ${snake(fnName())}(self, items: list[${T}], factor: int) -> int:`,
          '        total = 0',
          ...body('        ', rng.int(3, 10), 0, false, []),
          '        self.seen[self.prefix] = total',
          '        return min(total, self.limit)',
          '',
        )
      }
      out.push('')
    }
    return out
  }

  /** Lines a handler starts with: `items`, `factor` and `total` in scope, then a generated body. */
  const handler = (indent) => {
    const setup = {
      ts: ['const items = await store.list()', 'const factor = (items.length % 7) + 1', 'let total = 0'],
      go: ['items := store.List()', 'factor := len(items)%7 + 1', 'total := 0'],
      rust: ['let items = store::list();', 'let factor = items.len() as i64 % 7 + 1;', 'let mut total: i64 = 0;'],
      py: ['items = store.list()', 'factor = len(items) % 7 + 1', 'total = 0'],
    }[lang === 'js' ? 'ts' : lang]
    return [...setup.map((l) => indent + l), ...body(indent, rng.int(2, 7), 0, false, [])]
  }

  return { typeDef, func, klass, handler, body }
}

/** Imports every plain file of a language starts with. */
function plainHeader(lang, rel) {
  if (lang === 'ts') return ["import { logger } from '../lib/logger'", '', 'const registry = new Map<string, number>()', '']
  if (lang === 'js') return ["'use strict'", '', "const { logger } = require('../lib/logger')", '', 'const registry = new Map()', '']
  if (lang === 'go') {
    const pkg = rel
      .split('/')
      .at(-2)
      .replace(/[^a-z0-9]/g, '')
    return [`package ${pkg}`, '', 'import (', '\t"log"', ')', '', 'var registry = map[string]int{}', '']
  }
  if (lang === 'rust') return ['use serde::{Deserialize, Serialize};', 'use std::collections::HashMap;', '', 'use crate::registry;', '']
  return [
    '"""Generated module for the benchmark tree."""',
    'from __future__ import annotations',
    '',
    'import logging',
    'from dataclasses import dataclass',
    '',
    'logger = logging.getLogger(__name__)',
    'registry: dict[str, int] = {}',
    '',
    '',
  ]
}

/** A plain source file of about `target` lines: a record type, then functions and classes. */
function plainFile(lang, rng, rel, target) {
  const c = coder(lang, rng)
  const T = `${pascal(singular(rng.pick(RESOURCES)))}${rng.pick(SUFFIXES)}`
  const out = [...plainHeader(lang, rel), ...c.typeDef(T)]
  while (out.length < target) out.push(...(rng.chance(0.3) ? c.klass(T) : c.func(T)))
  return `${out.join('\n')}\n`
}

/** A React component file (Next.js services). */
function componentFile(rng, res) {
  const T = pascal(singular(res))
  const out = [
    "'use client'",
    '',
    "import { useState } from 'react'",
    '',
    `interface ${T} {`,
    '  id: string',
    '  name: string',
    '  quantity: number',
    '  amount: number',
    '}',
    '',
  ]
  const count = rng.int(2, 5)
  for (let i = 0; i < count; i++) {
    const C = `${T}${rng.pick(['Card', 'Row', 'Panel', 'Summary', 'List', 'Badge'])}${i}`
    out.push(
      `interface ${C}Props {`,
      `  item: ${T}`,
      '  onSelect?: (id: string) => void',
      '}',
      '',
      `export function ${C}({ item, onSelect }: ${C}Props) {`,
      '  const [open, setOpen] = useState(false)',
      '  const total = item.amount * item.quantity',
      '  return (',
      `    <div className="${snake(C)}">`,
      '      <h2>{item.name}</h2>',
      "      <button onClick={() => setOpen(!open)}>{open ? 'Hide' : 'Show'}</button>",
      '      {open && (',
      '        <ul>',
    )
    const rows = rng.int(2, 12)
    for (let r = 0; r < rows; r++) out.push(`          <li key="${r}" onClick={() => onSelect?.(item.id)}>{total * ${r + 1}} {item.name}</li>`)
    out.push('        </ul>', '      )}', '    </div>', '  )', '}', '')
  }
  return `${out.join('\n')}\n`
}

// ---------------------------------------------------------------------------------------------
// Endpoints of a resource, written in each framework's path syntax

const BASE_OPS = [
  { m: 'GET', sub: [], op: 'list' },
  { m: 'POST', sub: [], op: 'create' },
  { m: 'GET', sub: [{ p: 'id' }], op: 'get' },
  { m: 'PUT', sub: [{ p: 'id' }], op: 'update' },
  { m: 'DELETE', sub: [{ p: 'id' }], op: 'delete' },
]
const EXTRA_OPS = [
  { m: 'PATCH', sub: [{ p: 'id' }], op: 'patch' },
  { m: 'GET', sub: [{ p: 'id' }, 'history'], op: 'history' },
  { m: 'POST', sub: [{ p: 'id' }, 'archive'], op: 'archive' },
  { m: 'GET', sub: ['search'], op: 'search' },
  { m: 'GET', sub: [{ p: 'id' }, 'items', { p: 'itemId' }], op: 'items' },
  { m: 'GET', sub: ['export'], op: 'export' },
]

function makeResource(rng, plural) {
  const extras = rng.shuffle(EXTRA_OPS).slice(0, rng.int(0, 4))
  const ops = [...BASE_OPS, ...EXTRA_OPS.filter((e) => extras.includes(e))]
  const sing = singular(plural)
  const P = pascal(plural)
  const S = pascal(sing)
  const names = {
    list: `list${P}`,
    create: `create${S}`,
    get: `get${S}`,
    update: `update${S}`,
    delete: `delete${S}`,
    patch: `patch${S}`,
    history: `${camel(sing)}History`,
    archive: `archive${S}`,
    search: `search${P}`,
    items: `${camel(sing)}Items`,
    export: `export${P}`,
  }
  return { plural, sing, P, S, ops: ops.map((o) => ({ ...o, name: names[o.op] })) }
}

/** `sub` in one framework's syntax; `param(name)` writes a parameter, `snakeParams` renames itemId. */
function fmt(sub, param, { snakeParams = false, lead = '/' } = {}) {
  if (!sub.length) return ''
  return lead + sub.map((s) => (typeof s === 'string' ? s : param(snakeParams ? snake(s.p) : s.p))).join('/')
}
const colon = (p) => `:${p}`
const brace = (p) => `{${p}}`
const subKey = (sub) => sub.map((s) => (typeof s === 'string' ? s : '*')).join('/')
const groupBySub = (ops) => {
  const groups = new Map()
  for (const o of ops) groups.set(subKey(o.sub), [...(groups.get(subKey(o.sub)) ?? []), o])
  return [...groups.values()]
}

// ---------------------------------------------------------------------------------------------
// Services, one generator per framework

const TS_CONFIG = `{\n  "compilerOptions": { "target": "ES2022", "module": "NodeNext", "strict": true, "outDir": "dist" },\n  "include": ["src"]\n}\n`
const pkgJson = (name, deps, dev = {}) => `${JSON.stringify({ name, version: '1.0.0', private: true, dependencies: deps, devDependencies: dev }, null, 2)}\n`
const cargoToml = (name, deps) =>
  `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${Object.entries(deps)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')}\n`
const goMod = (mod, reqs) => `module ${mod}\n\ngo 1.22\n\nrequire (\n${reqs.map((r) => `\t${r}`).join('\n')}\n)\n`

/** Route registrations of a resource for the JS frameworks that share Express-like method calls. */
function jsCalls(res, obj, rng, handlerRef, { list = '/', chainRoute = false, chainSelf = false } = {}) {
  const out = []
  const path = (o) => (o.sub.length ? fmt(o.sub, colon) : list)
  const idOps = res.ops.filter((o) => subKey(o.sub) === '*')
  const grouped = (chainRoute || chainSelf) && idOps.length > 1 && rng.chance(0.35)
  for (const o of res.ops) {
    if (grouped && idOps.includes(o)) continue
    out.push(`${obj}.${o.m.toLowerCase()}('${path(o)}', ${handlerRef(o)})`)
  }
  if (grouped && chainRoute) out.push(`${obj}.route('/:id')`, ...idOps.map((o) => `  .${o.m.toLowerCase()}(${handlerRef(o)})`))
  else if (grouped) out.push(`${obj}`, ...idOps.map((o) => `  .${o.m.toLowerCase()}('/:id', ${handlerRef(o)})`))
  return out
}

function tsHandlers(rng, res, signature, ret, imports) {
  const c = coder('ts', rng)
  const out = [...imports, "import { store } from '../store'", "import { logger } from '../lib/logger'", '', 'const registry = new Map<string, number>()', '']
  for (const o of res.ops) out.push(`export async function ${o.name}${signature} {`, ...c.handler('  '), `  ${ret}`, '}', '')
  return `${out.join('\n')}\n`
}

const GEN = {
  express(s) {
    const js = s.rng.chance(0.34)
    const ext = js ? 'js' : 'ts'
    s.lang = js ? 'js' : 'ts'
    s.file(
      'package.json',
      pkgJson(
        s.name,
        { express: '^4.21.2', cors: '^2.8.5', zod: '^3.23.8' },
        { supertest: '^7.0.0', ...(js ? {} : { typescript: '^5.6.0', '@types/express': '^5.0.0' }) },
      ),
    )
    if (!js) s.file('tsconfig.json', TS_CONFIG)
    const v = s.rng.int(1, 3)
    if (js)
      s.file(
        'src/config.js',
        `'use strict'\n\nconst API_PREFIX = '/api/v${v}'\nconst ASSETS_PATH = '/assets'\nconst PORT = Number(process.env.PORT || 3000)\n\nmodule.exports = { API_PREFIX, ASSETS_PATH, PORT }\n`,
      )
    else
      s.file(
        'src/config.ts',
        `export const API_PREFIX = '/api/v${v}'\nexport const ASSETS_PATH = '/assets'\nexport const PORT = Number(process.env.PORT ?? 3000)\n`,
      )
    const app = js
      ? [
          "'use strict'",
          '',
          "const express = require('express')",
          "const cors = require('cors')",
          "const { API_PREFIX, ASSETS_PATH, PORT } = require('./config')",
          "const { logger } = require('./lib/logger')",
          ...s.resources.map((r) => `const ${camel(r.plural)}Router = require('./routes/${r.plural}')`),
          '',
          'const app = express()',
        ]
      : [
          "import express from 'express'",
          "import cors from 'cors'",
          "import { API_PREFIX, ASSETS_PATH, PORT } from './config'",
          "import { logger } from './lib/logger'",
          ...s.resources.map((r) => `import ${camel(r.plural)}Router from './routes/${r.plural}'`),
          '',
          'export const app = express()',
        ]
    app.push('app.use(cors())', 'app.use(express.json())')
    for (const r of s.resources)
      app.push(js ? `app.use(API_PREFIX + '/${r.plural}', ${camel(r.plural)}Router)` : `app.use(\`\${API_PREFIX}/${r.plural}\`, ${camel(r.plural)}Router)`)
    app.push(
      '',
      "app.get('/health', (req, res) => {",
      '  res.json({ ok: true, uptime: process.uptime() })',
      '})',
      '',
      "app.get('/events', (req, res) => {",
      "  res.setHeader('Content-Type', 'text/event-stream')",
      "  res.write('data: ready\\n\\n')",
      '})',
      '',
    )
    app.push(
      js ? "app.get(ASSETS_PATH + '/*splat', serveAsset)" : 'app.get(`${ASSETS_PATH}/*splat`, serveAsset)',
      '',
      js ? 'function serveAsset(req, res) {' : 'function serveAsset(req: express.Request, res: express.Response) {',
      '  res.sendFile(String(req.params.splat))',
      '}',
      '',
    )
    app.push('app.listen(PORT, () => logger.info(`listening on ${PORT}`))', ...(js ? ['', 'module.exports = { app }'] : []))
    s.file(`src/app.${ext}`, `${app.join('\n')}\n`)
    s.count('express', 3)
    for (const r of s.resources) {
      const lines = js
        ? [
            "'use strict'",
            '',
            "const express = require('express')",
            `const handlers = require('../handlers/${r.plural}')`,
            '',
            'const router = express.Router()',
            '',
          ]
        : ["import { Router } from 'express'", `import * as handlers from '../handlers/${r.plural}'`, '', 'const router = Router()', '']
      lines.push(
        ...jsCalls(r, 'router', s.rng, (o) => `handlers.${o.name}`, { chainRoute: true }),
        '',
        js ? 'module.exports = router' : 'export default router',
      )
      s.file(`src/routes/${r.plural}.${ext}`, `${lines.join('\n')}\n`)
      s.count('express', r.ops.length)
      if (js) {
        const c = coder('js', s.rng)
        const h = [
          "'use strict'",
          '',
          "const { store } = require('../store')",
          "const { logger } = require('../lib/logger')",
          '',
          'const registry = new Map()',
          '',
        ]
        for (const o of r.ops) h.push(`async function ${o.name}(req, res) {`, ...c.handler('  '), '  res.json({ total, count: items.length })', '}', '')
        h.push(`module.exports = { ${r.ops.map((o) => o.name).join(', ')} }`)
        s.file(`src/handlers/${r.plural}.js`, `${h.join('\n')}\n`)
      } else
        s.file(
          `src/handlers/${r.plural}.ts`,
          tsHandlers(s.rng, r, '(req: Request, res: Response): Promise<void>', 'res.json({ total, count: items.length })', [
            "import type { Request, Response } from 'express'",
          ]),
        )
      s.file(`src/models/${r.sing}.${ext}`, plainFile(s.lang, s.rng, `src/models/${r.sing}.${ext}`, s.rng.int(40, 120)))
    }
    s.plainDirs = ['src/lib', 'src/services', 'src/utils', 'src/domain', 'src/jobs']
    s.testDir = 'src/__tests__'
  },

  fastify(s) {
    s.file('package.json', pkgJson(s.name, { fastify: '^5.1.0', '@fastify/cors': '^10.0.1', pino: '^9.5.0' }, { typescript: '^5.6.0' }))
    s.file('tsconfig.json', TS_CONFIG)
    s.file('src/config.ts', `export const API_PREFIX = '/api/v${s.rng.int(1, 3)}'\n`)
    const app = [
      "import Fastify from 'fastify'",
      "import cors from '@fastify/cors'",
      "import { API_PREFIX } from './config'",
      ...s.resources.map((r) => `import ${camel(r.plural)}Routes from './routes/${r.plural}'`),
      '',
      'const app = Fastify({ logger: true })',
      '',
      'app.register(cors)',
    ]
    for (const r of s.resources) app.push(`app.register(${camel(r.plural)}Routes, { prefix: \`\${API_PREFIX}/${r.plural}\` })`)
    app.push(
      '',
      "app.get('/health', async () => ({ ok: true }))",
      "app.get('/assets/*', async (request, reply) => reply.send({ path: request.url }))",
      '',
      "app.listen({ port: 3000, host: '0.0.0.0' })",
      '',
      'export default app',
    )
    s.file('src/server.ts', `${app.join('\n')}\n`)
    s.count('fastify', 2)
    for (const r of s.resources) {
      const lines = [
        "import type { FastifyInstance } from 'fastify'",
        `import * as handlers from '../handlers/${r.plural}'`,
        '',
        `const ${r.sing}Schema = { type: 'object', properties: { name: { type: 'string' } } }`,
        '',
        `export default async function ${camel(r.plural)}Routes(fastify: FastifyInstance) {`,
      ]
      for (const o of r.ops) {
        const path = o.sub.length ? fmt(o.sub, colon) : '/'
        const form = s.rng.next()
        if (form < 0.3) lines.push('  fastify.route({', `    method: '${o.m}',`, `    url: '${path}',`, `    handler: handlers.${o.name},`, '  })')
        else if (form < 0.5 && o.m !== 'GET') lines.push(`  fastify.${o.m.toLowerCase()}('${path}', { schema: { body: ${r.sing}Schema } }, handlers.${o.name})`)
        else lines.push(`  fastify.${o.m.toLowerCase()}('${path}', handlers.${o.name})`)
      }
      lines.push('}')
      s.file(`src/routes/${r.plural}.ts`, `${lines.join('\n')}\n`)
      s.count('fastify', r.ops.length)
      s.file(
        `src/handlers/${r.plural}.ts`,
        tsHandlers(s.rng, r, '(request: FastifyRequest, reply: FastifyReply)', 'return { total, count: items.length }', [
          "import type { FastifyReply, FastifyRequest } from 'fastify'",
        ]),
      )
    }
    s.plainDirs = ['src/lib', 'src/services', 'src/plugins', 'src/domain']
    s.testDir = 'test'
  },

  koa(s) {
    s.file('package.json', pkgJson(s.name, { koa: '^2.15.3', '@koa/router': '^13.1.0', 'koa-bodyparser': '^4.4.1' }, { typescript: '^5.6.0' }))
    s.file('tsconfig.json', TS_CONFIG)
    s.file('src/config.ts', `export const API_PREFIX = '/api/v${s.rng.int(1, 3)}'\n`)
    const app = [
      "import Koa from 'koa'",
      "import Router from '@koa/router'",
      "import bodyParser from 'koa-bodyparser'",
      "import { API_PREFIX } from './config'",
      ...s.resources.map((r) => `import ${camel(r.plural)} from './routes/${r.plural}'`),
      '',
      'const app = new Koa()',
      'const api = new Router({ prefix: API_PREFIX })',
      '',
      "api.get('/health', (ctx) => {",
      '  ctx.body = { ok: true }',
      '})',
    ]
    for (const r of s.resources) app.push(`api.use(${camel(r.plural)}.routes())`)
    app.push('', 'app.use(bodyParser())', 'app.use(api.routes())', 'app.use(api.allowedMethods())', 'app.listen(3000)')
    s.file('src/app.ts', `${app.join('\n')}\n`)
    s.count('koa', 1)
    for (const r of s.resources) {
      const lines = [
        "import Router from '@koa/router'",
        `import * as handlers from '../handlers/${r.plural}'`,
        '',
        `const router = new Router({ prefix: '/${r.plural}' })`,
        '',
      ]
      lines.push(...jsCalls(r, 'router', s.rng, (o) => `handlers.${o.name}`), '', 'export default router')
      s.file(`src/routes/${r.plural}.ts`, `${lines.join('\n')}\n`)
      s.count('koa', r.ops.length)
      s.file(
        `src/handlers/${r.plural}.ts`,
        tsHandlers(s.rng, r, '(ctx: Context): Promise<void>', 'ctx.body = { total, count: items.length }', ["import type { Context } from 'koa'"]),
      )
    }
    s.plainDirs = ['src/lib', 'src/services', 'src/middleware', 'src/domain']
    s.testDir = 'test'
  },

  hono(s) {
    s.file('package.json', pkgJson(s.name, { hono: '^4.6.12', '@hono/node-server': '^1.13.7' }, { typescript: '^5.6.0' }))
    s.file('tsconfig.json', TS_CONFIG)
    s.file('src/config.ts', `export const API_PREFIX = '/api/v${s.rng.int(1, 3)}'\n`)
    const app = [
      "import { Hono } from 'hono'",
      "import { serve } from '@hono/node-server'",
      "import { API_PREFIX } from './config'",
      ...s.resources.map((r) => `import ${camel(r.plural)} from './routes/${r.plural}'`),
      '',
      'const app = new Hono().basePath(API_PREFIX)',
      '',
      "app.get('/health', (c) => c.json({ ok: true }))",
    ]
    for (const r of s.resources) app.push(`app.route('/${r.plural}', ${camel(r.plural)})`)
    app.push('', 'serve({ fetch: app.fetch, port: 3000 })', '', 'export default app')
    s.file('src/index.ts', `${app.join('\n')}\n`)
    s.count('hono', 1)
    for (const r of s.resources) {
      const v = camel(r.plural)
      const lines = ["import { Hono } from 'hono'", `import * as handlers from '../handlers/${r.plural}'`, '', `const ${v} = new Hono()`, '']
      lines.push(...jsCalls(r, v, s.rng, (o) => `(c) => handlers.${o.name}(c)`, { chainSelf: true }), '', `export default ${v}`)
      s.file(`src/routes/${r.plural}.ts`, `${lines.join('\n')}\n`)
      s.count('hono', r.ops.length)
      s.file(
        `src/handlers/${r.plural}.ts`,
        tsHandlers(s.rng, r, '(c: Context)', 'return c.json({ total, count: items.length })', ["import type { Context } from 'hono'"]),
      )
    }
    s.plainDirs = ['src/lib', 'src/services', 'src/domain']
    s.testDir = 'test'
  },

  nestjs(s) {
    s.file(
      'package.json',
      pkgJson(
        s.name,
        { '@nestjs/common': '^10.4.7', '@nestjs/core': '^10.4.7', '@nestjs/platform-express': '^10.4.7', 'reflect-metadata': '^0.2.2', rxjs: '^7.8.1' },
        { typescript: '^5.6.0' },
      ),
    )
    s.file('tsconfig.json', TS_CONFIG)
    s.file(
      'src/main.ts',
      [
        "import { NestFactory } from '@nestjs/core'",
        "import { AppModule } from './app.module'",
        '',
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule)',
        "  app.setGlobalPrefix('api')",
        '  app.enableCors()',
        '  await app.listen(3000)',
        '}',
        '',
        'bootstrap()',
        '',
      ].join('\n'),
    )
    s.file(
      'src/app.module.ts',
      [
        "import { Module } from '@nestjs/common'",
        "import { HealthController } from './health.controller'",
        ...s.resources.map((r) => `import { ${r.P}Module } from './${r.plural}/${r.plural}.module'`),
        '',
        '@Module({',
        `  imports: [${s.resources.map((r) => `${r.P}Module`).join(', ')}],`,
        '  controllers: [HealthController],',
        '})',
        'export class AppModule {}',
        '',
      ].join('\n'),
    )
    s.file(
      'src/health.controller.ts',
      [
        "import { Controller, Get } from '@nestjs/common'",
        '',
        "@Controller('health')",
        'export class HealthController {',
        '  @Get()',
        '  check() {',
        '    return { ok: true }',
        '  }',
        '}',
        '',
      ].join('\n'),
    )
    s.count('nestjs', 1)
    for (const r of s.resources) {
      const c = coder('ts', s.rng)
      const decorator = { GET: 'Get', POST: 'Post', PUT: 'Put', DELETE: 'Delete', PATCH: 'Patch' }
      const lines = [
        "import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query } from '@nestjs/common'",
        `import { ${r.P}Service } from './${r.plural}.service'`,
        "import { logger } from '../lib/logger'",
        '',
        'const registry = new Map<string, number>()',
        '',
        `@Controller('${r.plural}')`,
        `export class ${r.P}Controller {`,
        `  constructor(private readonly service: ${r.P}Service) {}`,
        '',
      ]
      for (const o of r.ops) {
        const path = o.sub.length ? `'${fmt(o.sub, colon, { lead: '' })}'` : ''
        const params = o.sub.filter((x) => typeof x !== 'string').map((x) => `@Param('${x.p}') ${x.p}: string`)
        if (o.m === 'POST' || o.m === 'PUT' || o.m === 'PATCH') params.push('@Body() body: unknown')
        if (o.op === 'list' || o.op === 'search') params.push("@Query('limit') limit?: string")
        lines.push(
          `  @${decorator[o.m]}(${path})`,
          `  async ${o.op === 'delete' ? 'remove' : o.op}(${params.join(', ')}) {`,
          '    const store = this.service',
          ...c.handler('    '),
          '    return { total, count: items.length }',
          '  }',
          '',
        )
      }
      lines.push('}')
      s.file(`src/${r.plural}/${r.plural}.controller.ts`, `${lines.join('\n')}\n`)
      s.count('nestjs', r.ops.length)
      s.file(
        `src/${r.plural}/${r.plural}.module.ts`,
        [
          "import { Module } from '@nestjs/common'",
          `import { ${r.P}Controller } from './${r.plural}.controller'`,
          `import { ${r.P}Service } from './${r.plural}.service'`,
          '',
          '@Module({',
          `  controllers: [${r.P}Controller],`,
          `  providers: [${r.P}Service],`,
          '})',
          `export class ${r.P}Module {}`,
          '',
        ].join('\n'),
      )
      s.file(
        `src/${r.plural}/${r.plural}.service.ts`,
        `${plainFile('ts', s.rng, `src/${r.plural}/x.ts`, s.rng.int(60, 200))}\nexport class ${r.P}Service {\n  async list() {\n    return [] as Array<{ quantity: number; amount: number; active: boolean }>\n  }\n}\n`,
      )
    }
    s.plainDirs = ['src/lib', 'src/common', 'src/domain', 'src/jobs']
    s.testDir = 'test'
  },

  nextjs(s) {
    s.file('package.json', pkgJson(s.name, { next: '^15.0.3', react: '^19.0.0', 'react-dom': '^19.0.0' }, { typescript: '^5.6.0' }))
    s.file('tsconfig.json', TS_CONFIG)
    const handler = (o, params) => {
      const c = coder('ts', s.rng)
      const sig = params.length
        ? `(request: Request, { params }: { params: Promise<{ ${params.map((p) => `${p}: string`).join('; ')} }> })`
        : '(request: Request)'
      const head = s.rng.chance(0.2) ? `export const ${o.m} = async ${sig} => {` : `export async function ${o.m}${sig} {`
      return [
        head,
        ...(params.length ? [`  const { ${params.join(', ')} } = await params`] : []),
        ...c.handler('  '),
        '  return Response.json({ total, count: items.length })',
        '}',
        '',
      ]
    }
    const imports = ["import { store } from '@/lib/store'", "import { logger } from '@/lib/logger'", '', 'const registry = new Map<string, number>()', '']
    s.file('app/api/health/route.ts', ['export async function GET() {', '  return Response.json({ ok: true })', '}', ''].join('\n'))
    s.file(
      'app/api/assets/[...path]/route.ts',
      [
        'export async function GET(request: Request, { params }: { params: Promise<{ path: string[] }> }) {',
        '  const { path } = await params',
        "  return new Response(path.join('/'))",
        '}',
        '',
      ].join('\n'),
    )
    s.count('nextjs', 2)
    for (const r of s.resources) {
      for (const group of groupBySub(r.ops)) {
        const sub = group[0].sub
        const dir = ['app/api', r.plural, ...sub.map((x) => (typeof x === 'string' ? x : `[${x.p}]`))].join('/')
        const params = sub.filter((x) => typeof x !== 'string').map((x) => x.p)
        s.file(`${dir}/route.ts`, [...imports, ...group.flatMap((o) => handler(o, params))].join('\n'))
        s.count('nextjs', group.length)
      }
      s.file(
        `app/(dashboard)/${r.plural}/page.tsx`,
        componentFile(s.rng, r.plural).replace("'use client'\n", "'use client'\n\nexport default function Page() {\n  return null\n}\n"),
      )
      s.file(`components/${r.plural}.tsx`, componentFile(s.rng, r.plural))
    }
    s.plainDirs = ['lib', 'lib/server', 'components/forms', 'hooks']
    s.testDir = '__tests__'
    s.componentsDir = 'components/ui'
  },

  axum(s) {
    s.lang = 'rust'
    s.file(
      'Cargo.toml',
      cargoToml(s.name, {
        axum: '{ version = "0.8", features = ["ws"] }',
        tokio: '{ version = "1", features = ["full"] }',
        serde: '{ version = "1", features = ["derive"] }',
        serde_json: '"1"',
        tracing: '"0.1"',
      }),
    )
    s.file('src/config.rs', `pub const API_PREFIX: &str = "/api/v${s.rng.int(1, 3)}";\n`)
    const main = [
      ...s.rustMods(['config', 'routes']),
      '',
      'use axum::extract::ws::{WebSocket, WebSocketUpgrade};',
      'use axum::extract::Path;',
      'use axum::response::IntoResponse;',
      'use axum::routing::get;',
      'use axum::Router;',
      '',
      '#[tokio::main]',
      'async fn main() {',
      '    let app = Router::new()',
      '        .route("/health", get(health))',
      '        .route("/ws", get(ws_handler))',
      '        .route("/assets/{*path}", get(assets))',
      '        .nest(config::API_PREFIX, routes::api_router());',
      '    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();',
      '    axum::serve(listener, app).await.unwrap();',
      '}',
      '',
      "async fn health() -> &'static str {",
      '    "ok"',
      '}',
      '',
      'async fn ws_handler(ws: WebSocketUpgrade) -> impl IntoResponse {',
      '    ws.on_upgrade(handle_socket)',
      '}',
      '',
      'async fn handle_socket(mut socket: WebSocket) {',
      '    while let Some(Ok(msg)) = socket.recv().await {',
      '        let _ = socket.send(msg).await;',
      '    }',
      '}',
      '',
      'async fn assets(Path(path): Path<String>) -> String {',
      '    path',
      '}',
      '',
    ]
    s.file('src/main.rs', main.join('\n'))
    s.count('axum', 3)
    s.file(
      'src/routes/mod.rs',
      [
        ...s.resources.map((r) => `pub mod ${r.plural};`),
        '',
        'use axum::Router;',
        '',
        'pub fn api_router() -> Router {',
        '    Router::new()',
        ...s.resources.map((r) => `        .nest("/${r.plural}", ${r.plural}::router())`),
        '}',
        '',
      ].join('\n'),
    )
    for (const r of s.resources) {
      const c = coder('rust', s.rng)
      const lines = [
        'use axum::extract::Path;',
        'use axum::routing::{delete, get, patch, post, put};',
        'use axum::{Json, Router};',
        'use serde_json::{json, Value};',
        '',
        'use crate::{registry, store};',
        '',
        'pub fn router() -> Router {',
        '    Router::new()',
      ]
      for (const group of groupBySub(r.ops)) {
        const path = group[0].sub.length ? fmt(group[0].sub, brace, { snakeParams: true }) : '/'
        lines.push(`        .route("${path}", ${group.map((o) => `${o.m.toLowerCase()}(${snake(o.name)})`).join('.')})`)
      }
      lines.push('}', '')
      for (const o of r.ops) {
        const params = o.sub.filter((x) => typeof x !== 'string')
        const arg = params.length === 1 ? 'Path(id): Path<u64>' : params.length ? 'Path((id, item_id)): Path<(u64, u64)>' : ''
        lines.push(`async fn ${snake(o.name)}(${arg}) -> Json<Value> {`, ...c.handler('    '), '    Json(json!({ "total": total }))', '}', '')
      }
      s.file(`src/routes/${r.plural}.rs`, lines.join('\n'))
      s.count('axum', r.ops.length)
    }
    s.plainDirs = ['src/models', 'src/services', 'src/db', 'src/util']
  },

  actix(s) {
    s.lang = 'rust'
    s.file('Cargo.toml', cargoToml(s.name, { 'actix-web': '"4"', serde: '{ version = "1", features = ["derive"] }', serde_json: '"1"', tracing: '"0.1"' }))
    s.file('src/config.rs', `pub const API_PREFIX: &str = "/api/v${s.rng.int(1, 3)}";\n`)
    const main = [
      ...s.rustMods(['config', 'handlers']),
      '',
      'use actix_web::{get, web, App, HttpResponse, HttpServer, Responder};',
      '',
      '#[get("/health")]',
      'async fn health() -> impl Responder {',
      '    HttpResponse::Ok().body("ok")',
      '}',
      '',
      '#[actix_web::main]',
      'async fn main() -> std::io::Result<()> {',
      '    HttpServer::new(|| {',
      '        App::new()',
      '            .service(health)',
      '            .service(',
      '                web::scope(config::API_PREFIX)',
      ...s.resources.map((r) => `                    .configure(handlers::${r.plural}::config)`),
      '            )',
      '    })',
      '    .bind(("0.0.0.0", 8080))?',
      '    .run()',
      '    .await',
      '}',
      '',
    ]
    s.file('src/main.rs', main.join('\n'))
    s.count('actix', 1)
    s.file('src/handlers/mod.rs', `${s.resources.map((r) => `pub mod ${r.plural};`).join('\n')}\n`)
    for (const r of s.resources) {
      const c = coder('rust', s.rng)
      const lines = [
        'use actix_web::{delete, get, patch, post, put, web, HttpResponse, Responder};',
        'use serde_json::json;',
        '',
        'use crate::{registry, store};',
        '',
      ]
      const routed = []
      for (const o of r.ops) {
        const params = o.sub.filter((x) => typeof x !== 'string')
        const arg = params.length === 1 ? 'path: web::Path<u64>' : params.length ? 'path: web::Path<(u64, u64)>' : ''
        const path = o.sub.length ? fmt(o.sub, brace, { snakeParams: true }) : ''
        if (s.rng.chance(0.25)) routed.push({ o, path })
        else lines.push(`#[${o.m.toLowerCase()}("${path}")]`)
        lines.push(
          `async fn ${snake(o.name)}(${arg}) -> impl Responder {`,
          ...c.handler('    '),
          '    HttpResponse::Ok().json(json!({ "total": total }))',
          '}',
          '',
        )
      }
      lines.push('pub fn config(cfg: &mut web::ServiceConfig) {', '    cfg.service(', `        web::scope("/${r.plural}")`)
      for (const o of r.ops) if (!routed.some((x) => x.o === o)) lines.push(`            .service(${snake(o.name)})`)
      for (const { o, path } of routed) lines.push(`            .route("${path}", web::${o.m.toLowerCase()}().to(${snake(o.name)}))`)
      lines.push('    );', '}', '')
      s.file(`src/handlers/${r.plural}.rs`, lines.join('\n'))
      s.count('actix', r.ops.length)
    }
    s.plainDirs = ['src/models', 'src/services', 'src/db', 'src/util']
  },

  rocket(s) {
    s.lang = 'rust'
    s.file(
      'Cargo.toml',
      cargoToml(s.name, { rocket: '{ version = "0.5", features = ["json"] }', serde: '{ version = "1", features = ["derive"] }', tracing: '"0.1"' }),
    )
    const v = s.rng.int(1, 3)
    const main = [
      '#[macro_use]',
      'extern crate rocket;',
      '',
      ...s.rustMods(['routes']),
      '',
      'use std::path::PathBuf;',
      '',
      '#[get("/health")]',
      "fn health() -> &'static str {",
      '    "ok"',
      '}',
      '',
      '#[get("/assets/<path..>")]',
      'fn assets(path: PathBuf) -> String {',
      '    path.display().to_string()',
      '}',
      '',
      '#[launch]',
      'fn rocket() -> _ {',
      '    rocket::build()',
      '        .mount("/", routes![health, assets])',
    ]
    for (const r of s.resources)
      main.push(`        .mount("/api/v${v}/${r.plural}", routes![${r.ops.map((o) => `routes::${r.plural}::${snake(o.name)}`).join(', ')}])`)
    main.push('}', '')
    s.file('src/main.rs', main.join('\n'))
    s.count('rocket', 2)
    s.file('src/routes/mod.rs', `${s.resources.map((r) => `pub mod ${r.plural};`).join('\n')}\n`)
    for (const r of s.resources) {
      const c = coder('rust', s.rng)
      const lines = ['use rocket::serde::json::{json, Json, Value};', '', 'use crate::{registry, store};', '']
      for (const o of r.ops) {
        const params = o.sub.filter((x) => typeof x !== 'string').map((x) => snake(x.p))
        let path = o.sub.length ? fmt(o.sub, (p) => `<${p}>`, { snakeParams: true }) : '/'
        if (o.op === 'search') path += '?<q>'
        const data = ['POST', 'PUT', 'PATCH'].includes(o.m)
        const args = [...params.map((p) => `${p}: u64`), ...(o.op === 'search' ? ['q: Option<String>'] : []), ...(data ? ['body: Json<Value>'] : [])]
        lines.push(
          `#[${o.m.toLowerCase()}("${path}"${data ? ', data = "<body>"' : ''})]`,
          `pub fn ${snake(o.name)}(${args.join(', ')}) -> Json<Value> {`,
          ...c.handler('    '),
          '    Json(json!({ "total": total }))',
          '}',
          '',
        )
      }
      s.file(`src/routes/${r.plural}.rs`, lines.join('\n'))
      s.count('rocket', r.ops.length)
    }
    s.plainDirs = ['src/models', 'src/services', 'src/db', 'src/util']
  },

  gin(s) {
    goService(s, 'gin', 'github.com/gin-gonic/gin v1.10.0', {
      imports: ['"github.com/gin-gonic/gin"'],
      main: [
        '\tr := gin.Default()',
        '\tr.GET("/health", func(c *gin.Context) {',
        '\t\tc.JSON(http.StatusOK, gin.H{"ok": true})',
        '\t})',
        '\tr.GET("/events", func(c *gin.Context) {',
        '\t\tc.Stream(func(w io.Writer) bool {',
        '\t\t\tc.SSEvent("tick", time.Now().Unix())',
        '\t\t\treturn true',
        '\t\t})',
        '\t})',
        '\tr.GET("/assets/*filepath", func(c *gin.Context) {',
        '\t\tc.File(c.Param("filepath"))',
        '\t})',
        '\tapi := r.Group(config.APIPrefix)',
      ],
      run: ['\tif err := r.Run(":8080"); err != nil {', '\t\tlog.Fatal(err)', '\t}'],
      extraImports: ['"io"', '"time"'],
      entryRoutes: 3,
      register: (r) => [
        `func Register${r.P}(rg *gin.RouterGroup) {`,
        `\tg := rg.Group("/${r.plural}")`,
        ...r.ops.map((o) => `\tg.${o.m}("${fmt(o.sub, colon)}", ${o.name})`),
        '}',
      ],
      signature: (o) => `func ${o.name}(c *gin.Context) {`,
      ret: '\tc.JSON(http.StatusOK, gin.H{"total": total})',
      lib: '"github.com/gin-gonic/gin"',
    })
  },

  echo(s) {
    goService(s, 'echo', 'github.com/labstack/echo/v4 v4.12.0', {
      imports: ['"github.com/labstack/echo/v4"'],
      main: [
        '\te := echo.New()',
        '\te.GET("/health", func(c echo.Context) error {',
        '\t\treturn c.JSON(http.StatusOK, map[string]bool{"ok": true})',
        '\t})',
        '\te.GET("/assets/*", func(c echo.Context) error {',
        '\t\treturn c.File(c.Param("*"))',
        '\t})',
        '\tapi := e.Group(config.APIPrefix)',
      ],
      run: ['\te.Logger.Fatal(e.Start(":8080"))'],
      entryRoutes: 2,
      register: (r) => [
        `func Register${r.P}(g *echo.Group) {`,
        `\tr := g.Group("/${r.plural}")`,
        ...r.ops.map((o) => `\tr.${o.m}("${fmt(o.sub, colon)}", ${o.name})`),
        '}',
      ],
      signature: (o) => `func ${o.name}(c echo.Context) error {`,
      ret: '\treturn c.JSON(http.StatusOK, map[string]int{"total": total})',
      lib: '"github.com/labstack/echo/v4"',
    })
  },

  fiber(s) {
    goService(s, 'fiber', 'github.com/gofiber/fiber/v2 v2.52.5', {
      imports: ['"github.com/gofiber/fiber/v2"'],
      main: [
        '\tapp := fiber.New()',
        '\tapp.Get("/health", func(c *fiber.Ctx) error {',
        '\t\treturn c.JSON(fiber.Map{"ok": true})',
        '\t})',
        '\tapp.Get("/assets/*", func(c *fiber.Ctx) error {',
        '\t\treturn c.SendFile(c.Params("*"))',
        '\t})',
        '\tapi := app.Group(config.APIPrefix)',
      ],
      run: ['\tlog.Fatal(app.Listen(":8080"))'],
      entryRoutes: 2,
      register: (r) => [
        `func Register${r.P}(router fiber.Router) {`,
        `\tg := router.Group("/${r.plural}")`,
        ...r.ops.map((o) => `\tg.${pascal(o.m.toLowerCase())}("${fmt(o.sub, colon) || '/'}", ${o.name})`),
        '}',
      ],
      signature: (o) => `func ${o.name}(c *fiber.Ctx) error {`,
      ret: '\treturn c.JSON(fiber.Map{"total": total})',
      lib: '"github.com/gofiber/fiber/v2"',
    })
  },

  nethttp(s) {
    const v = s.rng.int(1, 3)
    goService(s, 'nethttp', 'github.com/google/uuid v1.6.0', {
      imports: [],
      main: [
        '\tmux := http.NewServeMux()',
        '\tmux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {',
        '\t\tw.Write([]byte("ok"))',
        '\t})',
        '\tmux.HandleFunc("GET /static/{path...}", func(w http.ResponseWriter, r *http.Request) {',
        '\t\thttp.ServeFile(w, r, r.PathValue("path"))',
        '\t})',
        '\tapi := mux',
        '\t_ = config.APIPrefix',
      ],
      run: ['\tlog.Fatal(http.ListenAndServe(":8080", mux))'],
      entryRoutes: 2,
      register: (r) => [
        `func Register${r.P}(mux *http.ServeMux) {`,
        ...r.ops.map((o) => `\tmux.HandleFunc("${o.m} /api/v${v}/${r.plural}${fmt(o.sub, brace)}", ${o.name})`),
        '}',
      ],
      signature: (o) => `func ${o.name}(w http.ResponseWriter, r *http.Request) {`,
      ret: '\twriteJSON(w, http.StatusOK, map[string]int{"total": total})',
      lib: null,
    })
  },

  chi(s) {
    s.lang = 'go'
    const mod = `example.com/acme/${s.name}`
    s.file('go.mod', goMod(mod, ['github.com/go-chi/chi/v5 v5.1.0']))
    s.file('internal/config/config.go', `package config\n\n// APIPrefix is where the versioned API is served.\nconst APIPrefix = "/api/v${s.rng.int(1, 3)}"\n`)
    const main = [
      'package main',
      '',
      'import (',
      '\t"log"',
      '\t"net/http"',
      '',
      '\t"github.com/go-chi/chi/v5"',
      '\t"github.com/go-chi/chi/v5/middleware"',
      '',
      `\t"${mod}/internal/config"`,
      ...s.resources.map((r) => `\t"${mod}/internal/${r.plural}"`),
      ')',
      '',
      'func main() {',
      '\tr := chi.NewRouter()',
      '\tr.Use(middleware.Logger)',
      '\tr.Get("/health", func(w http.ResponseWriter, r *http.Request) {',
      '\t\tw.Write([]byte("ok"))',
      '\t})',
      '\tr.Get("/assets/*", func(w http.ResponseWriter, r *http.Request) {',
      '\t\thttp.ServeFile(w, r, chi.URLParam(r, "*"))',
      '\t})',
      '\tr.Route(config.APIPrefix, func(r chi.Router) {',
      ...s.resources.map((x) => `\t\tr.Mount("/${x.plural}", ${x.plural}.Routes())`),
      '\t})',
      '\tlog.Fatal(http.ListenAndServe(":8080", r))',
      '}',
      '',
    ]
    s.file('cmd/server/main.go', main.join('\n'))
    s.count('chi', 2)
    for (const r of s.resources) {
      const nested = s.rng.chance(0.3)
      const lines = [
        `package ${r.plural}`,
        '',
        'import (',
        '\t"net/http"',
        '',
        '\t"github.com/go-chi/chi/v5"',
        ')',
        '',
        `// Routes serves the ${r.plural} endpoints.`,
        'func Routes() chi.Router {',
        '\tr := chi.NewRouter()',
      ]
      const id = r.ops.filter((o) => subKey(o.sub) === '*')
      for (const o of r.ops)
        if (!(nested && id.includes(o))) lines.push(`\tr.${pascal(o.m.toLowerCase())}("${fmt(o.sub, brace) || '/'}", handle${pascal(o.name)})`)
      if (nested)
        lines.push('\tr.Route("/{id}", func(r chi.Router) {', ...id.map((o) => `\t\tr.${pascal(o.m.toLowerCase())}("/", handle${pascal(o.name)})`), '\t})')
      lines.push('\treturn r', '}', '')
      s.file(`internal/${r.plural}/routes.go`, lines.join('\n'))
      s.count('chi', r.ops.length)
      const c = coder('go', s.rng)
      const h = [`package ${r.plural}`, '', 'import (', '\t"log"', '\t"net/http"', ')', '', 'var registry = map[string]int{}', '']
      for (const o of r.ops)
        h.push(
          `func handle${pascal(o.name)}(w http.ResponseWriter, r *http.Request) {`,
          ...c.handler('\t'),
          '\twriteJSON(w, http.StatusOK, map[string]int{"total": total})',
          '}',
          '',
        )
      s.file(`internal/${r.plural}/handlers.go`, h.join('\n'))
    }
    s.plainDirs = ['internal/domain', 'internal/store', 'internal/service', 'pkg/util']
  },

  fastapi(s) {
    s.lang = 'py'
    const p = s.pkg
    s.file('requirements.txt', 'fastapi==0.115.5\nuvicorn[standard]==0.32.1\npydantic==2.10.2\n')
    s.file(`${p}/__init__.py`, '')
    s.file(`${p}/config.py`, `API_PREFIX = "/api/v${s.rng.int(1, 3)}"\n`)
    s.file(`${p}/routers/__init__.py`, '')
    const main = [
      'from fastapi import FastAPI, WebSocket',
      '',
      `from ${p}.config import API_PREFIX`,
      `from ${p}.routers import ${s.resources.map((r) => r.plural).join(', ')}`,
      '',
      `app = FastAPI(title="${s.name}")`,
      '',
    ]
    for (const r of s.resources) main.push(`app.include_router(${r.plural}.router, prefix=API_PREFIX)`)
    main.push(
      '',
      '',
      '@app.get("/health")',
      'async def health() -> dict[str, bool]:',
      '    return {"ok": True}',
      '',
      '',
      '@app.websocket("/ws")',
      'async def ws_endpoint(websocket: WebSocket) -> None:',
      '    await websocket.accept()',
      '    while True:',
      '        data = await websocket.receive_text()',
      '        await websocket.send_text(data)',
      '',
      '',
      '@app.get("/files/{file_path:path}")',
      'async def read_file(file_path: str) -> dict[str, str]:',
      '    return {"path": file_path}',
      '',
    )
    s.file(`${p}/main.py`, main.join('\n'))
    s.count('fastapi', 3)
    for (const r of s.resources) {
      const c = coder('py', s.rng)
      const lines = [
        'import logging',
        '',
        'from fastapi import APIRouter',
        '',
        `from ${p}.store import store`,
        '',
        'logger = logging.getLogger(__name__)',
        'registry: dict[str, int] = {}',
        '',
        `router = APIRouter(prefix="/${r.plural}", tags=["${r.plural}"])`,
        '',
        '',
      ]
      for (const o of r.ops) {
        const params = o.sub.filter((x) => typeof x !== 'string').map((x) => `${snake(r.sing)}_${snake(x.p)}`)
        let i = 0
        const path = o.sub.length ? fmt(o.sub, () => `{${params[i++]}}`) : '/'
        lines.push(
          `@router.${o.m.toLowerCase()}("${path}")`,
          `async def ${snake(o.name)}(${params.map((x) => `${x}: int`).join(', ')}) -> dict[str, int]:`,
          ...c.handler('    '),
          '    return {"total": total, "count": len(items)}',
          '',
          '',
        )
      }
      s.file(`${p}/routers/${r.plural}.py`, lines.join('\n'))
      s.count('fastapi', r.ops.length)
    }
    s.plainDirs = [`${p}/models`, `${p}/services`, `${p}/repositories`, `${p}/utils`]
    s.testDir = 'tests'
  },

  flask(s) {
    s.lang = 'py'
    const p = s.pkg
    s.file('requirements.txt', 'Flask==3.1.0\ngunicorn==23.0.0\n')
    s.file(`${p}/__init__.py`, '')
    s.file(`${p}/config.py`, `API_PREFIX = "/api/v${s.rng.int(1, 3)}"\n`)
    s.file(`${p}/views/__init__.py`, '')
    const app = [
      'from flask import Flask, jsonify',
      '',
      `from ${p}.config import API_PREFIX`,
      `from ${p}.views import ${s.resources.map((r) => r.plural).join(', ')}`,
      '',
      'app = Flask(__name__)',
    ]
    for (const r of s.resources) app.push(`app.register_blueprint(${r.plural}.bp, url_prefix=f"{API_PREFIX}/${r.plural}")`)
    app.push(
      '',
      '',
      '@app.get("/health")',
      'def health():',
      '    return jsonify(ok=True)',
      '',
      '',
      '@app.route("/downloads/<path:filename>")',
      'def download(filename):',
      '    return jsonify(path=filename)',
      '',
    )
    s.file(`${p}/app.py`, app.join('\n'))
    s.count('flask', 2)
    for (const r of s.resources) {
      const c = coder('py', s.rng)
      const lines = [
        'import logging',
        '',
        'from flask import Blueprint, jsonify',
        '',
        `from ${p}.store import store`,
        '',
        'logger = logging.getLogger(__name__)',
        'registry: dict[str, int] = {}',
        '',
        `bp = Blueprint("${r.plural}", __name__)`,
        '',
        '',
      ]
      for (const o of r.ops) {
        const params = o.sub.filter((x) => typeof x !== 'string').map((x) => snake(x.p))
        let i = 0
        const path = (o.sub.length ? fmt(o.sub, () => `<int:${params[i++]}>`) : '') || '/'
        const deco =
          o.m === 'GET' && s.rng.chance(0.4)
            ? `@bp.route("${path}")`
            : s.rng.chance(0.5)
              ? `@bp.${o.m.toLowerCase()}("${path}")`
              : `@bp.route("${path}", methods=["${o.m}"])`
        lines.push(deco, `def ${snake(o.name)}(${params.join(', ')}):`, ...c.handler('    '), '    return jsonify(total=total, count=len(items))', '', '')
      }
      s.file(`${p}/views/${r.plural}.py`, lines.join('\n'))
      s.count('flask', r.ops.length)
    }
    s.plainDirs = [`${p}/models`, `${p}/services`, `${p}/utils`]
    s.testDir = 'tests'
  },

  django(s) {
    s.lang = 'py'
    const p = s.pkg
    s.file('requirements.txt', 'Django==5.1.3\npsycopg[binary]==3.2.3\n')
    djangoProject(s, p)
    const urls = [
      'from django.urls import include, path, re_path',
      '',
      `from ${p} import views`,
      '',
      'urlpatterns = [',
      '    path("health/", views.health),',
      '    re_path(r"^media/(?P<path>.*)$", views.media),',
    ]
    for (const r of s.resources) urls.push(`    path("api/${r.plural}/", include("${p}.apps.${r.plural}.urls")),`)
    urls.push(']', '')
    s.file(`${p}/urls.py`, urls.join('\n'))
    s.count('django', 2)
    for (const r of s.resources) {
      const groups = groupBySub(r.ops)
      const c = coder('py', s.rng)
      const u = ['from django.urls import path, re_path', '', 'from . import views', '', `app_name = "${r.plural}"`, '', 'urlpatterns = [']
      const v = [
        'import logging',
        '',
        'from django.http import JsonResponse',
        '',
        `from ${p}.store import store`,
        '',
        'logger = logging.getLogger(__name__)',
        'registry: dict[str, int] = {}',
        '',
        '',
      ]
      for (const g of groups) {
        const sub = g[0].sub
        const view = `${snake(r.sing)}_${sub.length ? sub.map((x) => (typeof x === 'string' ? x : 'detail')).join('_') : 'list'}`
        const params = sub.filter((x) => typeof x !== 'string').map((x) => snake(x.p))
        if (sub.length === 1 && typeof sub[0] === 'string' && s.rng.chance(0.5)) u.push(`    re_path(r"^${sub[0]}/$", views.${view}),`)
        else
          u.push(
            `    path("${sub.map((x) => (typeof x === 'string' ? x : `<int:${snake(x.p)}>`)).join('/')}${sub.length ? '/' : ''}", views.${view}, name="${view}"),`,
          )
        v.push(`def ${view}(request${params.map((x) => `, ${x}`).join('')}):`, ...c.handler('    '))
        if (g.length > 1)
          v.push(
            `    if request.method not in (${g.map((o) => `"${o.m}"`).join(', ')}):`,
            '        return JsonResponse({"error": "method not allowed"}, status=405)',
          )
        v.push('    return JsonResponse({"total": total})', '', '')
      }
      u.push(']', '')
      s.file(`${p}/apps/${r.plural}/__init__.py`, '')
      s.file(`${p}/apps/${r.plural}/urls.py`, u.join('\n'))
      s.file(`${p}/apps/${r.plural}/views.py`, v.join('\n'))
      s.file(`${p}/apps/${r.plural}/models.py`, djangoModels(r))
      s.count('django', groups.length)
    }
    s.plainDirs = [`${p}/services`, `${p}/utils`, `${p}/reports`]
    s.testDir = 'tests'
  },

  drf(s) {
    s.lang = 'py'
    const p = s.pkg
    s.file('requirements.txt', 'Django==5.1.3\ndjangorestframework==3.15.2\n')
    djangoProject(s, p)
    const urls = [
      'from django.urls import include, path',
      'from rest_framework.routers import SimpleRouter',
      '',
      `from ${p} import views`,
      ...s.resources.map((r) => `from ${p}.apps.${r.plural}.views import ${r.S}ViewSet`),
      '',
      'router = SimpleRouter()',
    ]
    for (const r of s.resources) urls.push(`router.register(r"${r.plural}", ${r.S}ViewSet, basename="${r.sing}")`)
    urls.push('', 'urlpatterns = [', '    path("health/", views.health),', '    path("api/", include(router.urls)),', ']', '')
    s.file(`${p}/urls.py`, urls.join('\n'))
    s.count('django', 1)
    for (const r of s.resources) {
      const c = coder('py', s.rng)
      const actions = r.ops.filter((o) => !['list', 'create', 'get', 'update', 'delete', 'patch'].includes(o.op))
      const v = [
        'import logging',
        '',
        'from rest_framework import viewsets',
        'from rest_framework.decorators import action',
        'from rest_framework.response import Response',
        '',
        `from .models import ${r.S}`,
        `from .serializers import ${r.S}Serializer`,
        '',
        'logger = logging.getLogger(__name__)',
        'registry: dict[str, int] = {}',
        '',
        '',
        `class ${r.S}ViewSet(viewsets.ModelViewSet):`,
        `    queryset = ${r.S}.objects.all()`,
        `    serializer_class = ${r.S}Serializer`,
        '',
      ]
      for (const o of actions) {
        const detail = o.sub.some((x) => typeof x !== 'string')
        const urlPath = o.op === 'items' ? ', url_path="items"' : ''
        v.push(
          `    @action(detail=${detail ? 'True' : 'False'}, methods=["${o.m.toLowerCase()}"]${urlPath})`,
          `    def ${o.op}(self, request${detail ? ', pk=None' : ''}):`,
          '        store = self.get_queryset()',
          ...c
            .handler('        ')
            .slice(0)
            .map((l) => l.replace('store.list()', 'list(store)')),
          '        return Response({"total": total})',
          '',
        )
      }
      s.file(`${p}/apps/${r.plural}/__init__.py`, '')
      s.file(`${p}/apps/${r.plural}/views.py`, v.join('\n'))
      s.file(`${p}/apps/${r.plural}/models.py`, djangoModels(r))
      s.file(
        `${p}/apps/${r.plural}/serializers.py`,
        [
          'from rest_framework import serializers',
          '',
          `from .models import ${r.S}`,
          '',
          '',
          `class ${r.S}Serializer(serializers.ModelSerializer):`,
          '    class Meta:',
          `        model = ${r.S}`,
          '        fields = "__all__"',
          '',
        ].join('\n'),
      )
      s.count('drf', 6 + actions.length)
    }
    s.plainDirs = [`${p}/services`, `${p}/utils`, `${p}/reports`]
    s.testDir = 'tests'
  },

  'worker-js'(s) {
    s.file('package.json', pkgJson(s.name, { bullmq: '^5.30.0', ioredis: '^5.4.1', axios: '^1.7.8' }, { typescript: '^5.6.0' }))
    s.file('tsconfig.json', TS_CONFIG)
    // An HTTP client calls `.get(path, opts)` and `.post(path, body)`: no framework, no routes.
    const lines = ["import axios from 'axios'", '', 'const client = axios.create({ baseURL: process.env.API_URL })', '']
    for (const r of s.resources)
      lines.push(
        `export async function fetch${r.P}(limit: number) {`,
        `  const res = await client.get('/api/${r.plural}', { params: { limit } })`,
        '  return res.data',
        '}',
        '',
        `export async function push${r.S}(body: unknown) {`,
        `  return client.post('/api/${r.plural}', body)`,
        '}',
        '',
      )
    s.file('src/clients/api.ts', lines.join('\n'))
    s.plainDirs = ['src/jobs', 'src/lib', 'src/queues']
    s.testDir = 'test'
  },

  'worker-rust'(s) {
    s.lang = 'rust'
    s.file(
      'Cargo.toml',
      cargoToml(s.name, {
        reqwest: '{ version = "0.12", features = ["json"] }',
        tokio: '{ version = "1", features = ["full"] }',
        serde: '{ version = "1", features = ["derive"] }',
      }),
    )
    s.file(
      'src/main.rs',
      [
        ...s.rustMods([]),
        '',
        '#[tokio::main]',
        'async fn main() {',
        '    let client = reqwest::Client::new();',
        '    let body = client.get("http://api/health").send().await.unwrap().text().await.unwrap();',
        '    println!("{body}");',
        '}',
        '',
      ].join('\n'),
    )
    s.plainDirs = ['src/jobs', 'src/models', 'src/util']
  },

  'worker-go'(s) {
    s.lang = 'go'
    const mod = `example.com/acme/${s.name}`
    // gin only as an indirect dependency: it must not turn this worker's code into routes.
    s.file('go.mod', goMod(mod, ['github.com/redis/go-redis/v9 v9.7.0', 'github.com/gin-gonic/gin v1.10.0 // indirect']))
    s.file(
      'cmd/worker/main.go',
      [
        'package main',
        '',
        'import (',
        '\t"log"',
        '\t"net/http"',
        ')',
        '',
        'func main() {',
        '\tres, err := http.Get("http://api/health")',
        '\tif err != nil {',
        '\t\tlog.Fatal(err)',
        '\t}',
        '\tdefer res.Body.Close()',
        '}',
        '',
      ].join('\n'),
    )
    s.plainDirs = ['internal/jobs', 'internal/queue', 'internal/store']
  },

  'worker-python'(s) {
    s.lang = 'py'
    s.file('requirements.txt', 'celery==5.4.0\nrequests==2.32.3\n')
    s.file(`${s.pkg}/__init__.py`, '')
    s.file(
      `${s.pkg}/client.py`,
      [
        'import requests',
        '',
        '',
        'def fetch(path: str, limit: int = 50):',
        '    return requests.get(f"http://api{path}", params={"limit": limit}, timeout=5).json()',
        '',
      ].join('\n'),
    )
    s.plainDirs = [`${s.pkg}/tasks`, `${s.pkg}/services`]
    s.testDir = 'tests'
  },
}

function goService(s, fw, requirement, spec) {
  s.lang = 'go'
  const mod = `example.com/acme/${s.name}`
  s.file('go.mod', goMod(mod, [requirement]))
  s.file('internal/config/config.go', `package config\n\n// APIPrefix is where the versioned API is served.\nconst APIPrefix = "/api/v${s.rng.int(1, 3)}"\n`)
  const main = [
    'package main',
    '',
    'import (',
    '\t"log"',
    '\t"net/http"',
    ...(spec.extraImports ?? []).map((i) => `\t${i}`),
    '',
    ...spec.imports.map((i) => `\t${i}`),
    '',
    `\t"${mod}/internal/config"`,
    `\t"${mod}/internal/handlers"`,
    ')',
    '',
    'func main() {',
    ...spec.main,
  ]
  for (const r of s.resources) main.push(`\thandlers.Register${r.P}(api)`)
  main.push(...spec.run, '}', '')
  s.file('cmd/server/main.go', main.join('\n'))
  s.count(fw, spec.entryRoutes)
  for (const r of s.resources) {
    const c = coder('go', s.rng)
    const lines = [
      'package handlers',
      '',
      'import (',
      '\t"log"',
      '\t"net/http"',
      ...(spec.lib ? ['', `\t${spec.lib}`] : []),
      ')',
      '',
      `// Register${r.P} mounts the ${r.plural} endpoints.`,
      ...spec.register(r),
      '',
    ]
    for (const o of r.ops) lines.push(spec.signature(o), ...c.handler('\t'), spec.ret, '}', '')
    s.file(`internal/handlers/${r.plural}.go`, lines.join('\n'))
    s.count(fw, r.ops.length)
  }
  s.file('internal/handlers/registry.go', 'package handlers\n\nvar registry = map[string]int{}\n')
  s.plainDirs = ['internal/domain', 'internal/store', 'internal/service', 'pkg/util']
}

function djangoProject(s, p) {
  s.file(
    'manage.py',
    [
      '#!/usr/bin/env python',
      'import os',
      'import sys',
      '',
      '',
      'def main():',
      `    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${p}.settings")`,
      '    from django.core.management import execute_from_command_line',
      '',
      '    execute_from_command_line(sys.argv)',
      '',
      '',
      'if __name__ == "__main__":',
      '    main()',
      '',
    ].join('\n'),
  )
  s.file(`${p}/__init__.py`, '')
  s.file(`${p}/apps/__init__.py`, '')
  s.file(
    `${p}/settings.py`,
    [
      'from pathlib import Path',
      '',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      'SECRET_KEY = "bench-only"',
      'DEBUG = False',
      'ALLOWED_HOSTS = ["*"]',
      `ROOT_URLCONF = "${p}.urls"`,
      'INSTALLED_APPS = [',
      '    "django.contrib.contenttypes",',
      '    "django.contrib.auth",',
      ...s.resources.map((r) => `    "${p}.apps.${r.plural}",`),
      ']',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}',
      '',
    ].join('\n'),
  )
  s.file(
    `${p}/views.py`,
    [
      'from django.http import FileResponse, JsonResponse',
      '',
      '',
      'def health(request):',
      '    return JsonResponse({"ok": True})',
      '',
      '',
      'def media(request, path):',
      '    return FileResponse(open(path, "rb"))',
      '',
    ].join('\n'),
  )
}

function djangoModels(r) {
  return [
    'from django.db import models',
    '',
    '',
    `class ${r.S}(models.Model):`,
    '    name = models.CharField(max_length=200)',
    '    quantity = models.IntegerField(default=0)',
    '    amount = models.BigIntegerField(default=0)',
    '    active = models.BooleanField(default=True)',
    '    created_at = models.DateTimeField(auto_now_add=True)',
    '',
    '    class Meta:',
    '        ordering = ["-created_at"]',
    '',
    '    def __str__(self) -> str:',
    '        return self.name',
    '',
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------
// The tree

const EXT = { ts: 'ts', js: 'js', go: 'go', rust: 'rs', py: 'py' }

/** A plain file's length: mostly short, some medium, a few long. */
function plainLength(rng) {
  const r = rng.next()
  if (r < 0.7) return rng.int(20, 160)
  if (r < 0.95) return rng.int(160, 450)
  return rng.int(450, 1200)
}

/**
 * Write the tree into `dir` (created if missing). Returns what was written: totals, per-language
 * counts, routes per framework and per service, and what the scan should skip.
 */
export function generateTree({ dir, lines: target = 1_000_000, seed = 1 }) {
  const rng = createRng(seed)
  const result = {
    dir,
    seed,
    target,
    files: 0,
    lines: 0,
    bytes: 0,
    byFamily: { js: { files: 0, lines: 0 }, rust: { files: 0, lines: 0 }, go: { files: 0, lines: 0 }, python: { files: 0, lines: 0 } },
    routes: Object.fromEntries(Object.keys(FRAMEWORKS).map((f) => [f, 0])),
    services: [],
    ignored: { files: 0, lines: 0 },
    skipped: { 'too-large': 0, minified: 0 },
    manifests: 0,
    parseErrors: 0,
  }
  const made = new Set()
  const write = (rel, text) => {
    const abs = join(dir, rel)
    const parent = dirname(abs)
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true })
      made.add(parent)
    }
    writeFileSync(abs, text)
    result.bytes += Buffer.byteLength(text)
  }
  const lineCount = (text) => text.split('\n').length
  /** A source file the scan must parse: counted in files and lines. */
  const source = (rel, text) => {
    write(rel, text)
    const ext = rel.slice(rel.lastIndexOf('.') + 1)
    const family = { ts: 'js', tsx: 'js', js: 'js', rs: 'rust', go: 'go', py: 'python' }[ext]
    const n = lineCount(text)
    if (family) {
      result.files++
      result.lines += n
      result.byFamily[family].files++
      result.byFamily[family].lines += n
    } else if (/^(package\.json|Cargo\.toml|go\.mod|requirements\.txt)$/.test(rel.slice(rel.lastIndexOf('/') + 1))) result.manifests++
    return n
  }
  /** A file in a folder the scan must skip. */
  const ignored = (rel, text) => {
    write(rel, text)
    result.ignored.files++
    result.ignored.lines += lineCount(text)
  }

  const bigShare = target >= 100_000 ? 0.06 : 0
  const serviceCount = Math.max(KINDS.length, Math.round(target / 12_500))
  const serviceTarget = target * (1 - bigShare)
  const services = []
  for (let i = 0; i < serviceCount; i++) {
    const kind = KINDS[i % KINDS.length]
    const name = `${DOMAINS[i % DOMAINS.length]}-${kind.replace('worker-', 'worker-')}-${Math.floor(i / KINDS.length) + 1}`
    const srng = createRng(seed * 7919 + i * 104729)
    const s = {
      kind,
      name,
      rng: srng,
      dir: `services/${name}`,
      pkg: snake(name).replace(/[^a-z0-9_]/g, '_'),
      lang: { js: 'ts', rust: 'rust', go: 'go', python: 'py' }[FRAMEWORKS[kind] ?? kind.slice('worker-'.length)],
      lines: 0,
      routes: 0,
      frameworks: {},
      plainDirs: [],
      testDir: null,
      componentsDir: null,
      rustAreas: new Map(),
    }
    s.file = (rel, text) => {
      s.lines += source(`${s.dir}/${rel}`, text)
    }
    s.count = (fw, n) => {
      result.routes[fw] += n
      s.routes += n
      s.frameworks[fw] = (s.frameworks[fw] ?? 0) + n
    }
    // Rust crates declare their modules: `mod x;` in main.rs for the route modules and plain areas.
    s.rustMods = (own) =>
      [...own, 'models', 'services', 'db', 'util', 'jobs', 'store', 'registry'].filter((m, j, all) => all.indexOf(m) === j).map((m) => `mod ${m};`)
    const budget = (serviceTarget / serviceCount) * (0.6 + srng.next() * 0.8)
    const resourceCount = Math.max(2, Math.min(40, Math.round(budget / 2600)))
    s.resources = srng
      .shuffle(RESOURCES)
      .slice(0, resourceCount)
      .map((r) => makeResource(srng, r))
    GEN[kind](s)
    if (s.lang === 'rust') {
      s.file('src/registry.rs', "pub fn get(key: &str) -> Option<&'static i64> {\n    let _ = key;\n    None\n}\n")
      s.file('src/store.rs', 'pub fn list() -> Vec<crate::models::Item> {\n    Vec::new()\n}\n')
    }
    if (s.lang === 'py') s.file(`${s.pkg}/store.py`, 'class _Store:\n    def list(self):\n        return []\n\n\nstore = _Store()\n')
    if (s.lang === 'ts' || s.lang === 'js') {
      const lib = s.kind === 'nextjs' ? 'lib' : 'src/lib'
      s.file(
        `${lib}/logger.${EXT[s.lang]}`,
        s.lang === 'ts'
          ? 'export const logger = {\n  debug: (msg: string, data?: unknown) => console.debug(msg, data),\n  info: (msg: string) => console.info(msg),\n}\n'
          : "'use strict'\n\nconst logger = {\n  debug: (msg, data) => console.debug(msg, data),\n  info: (msg) => console.info(msg),\n}\n\nmodule.exports = { logger }\n",
      )
      s.file(
        `${lib}/store.${EXT[s.lang]}`,
        s.lang === 'ts'
          ? 'export const store = {\n  list: async () => [] as Array<{ quantity: number; amount: number; active: boolean }>,\n}\n'
          : "'use strict'\n\nconst store = {\n  list: async () => [],\n}\n\nmodule.exports = { store }\n",
      )
    }
    s.budget = budget
    services.push(s)
  }

  // The bulk: plain code, tests and components until each service reaches its budget.
  const fill = (s, extra) => {
    const dirFiles = s.plainFiles ?? (s.plainFiles = new Map())
    const goal = extra ?? s.budget
    let n = 0
    while (s.lines < goal && (extra === undefined || n < 1)) {
      n++
      const r = s.rng.next()
      const seq = (s.seq = (s.seq ?? 0) + 1)
      const base = `${rng.pick(VERBS)}_${rng.pick(NOUNS)}_${seq}`
      if (s.componentsDir && r < 0.2) {
        s.file(`${s.componentsDir}/${pascal(base)}.tsx`, componentFile(s.rng, rng.pick(RESOURCES)))
        continue
      }
      let dir = s.rng.pick(s.plainDirs)
      let name
      const test = r > 0.85
      if (s.lang === 'go') {
        name = test ? `${base}_test.go` : `${base}.go`
      } else if (s.lang === 'rust') {
        if (test) {
          dir = 'tests'
          name = `${base}.rs`
        } else name = `${base}.rs`
      } else if (s.lang === 'py') {
        if (test && s.testDir) {
          dir = s.testDir
          name = `test_${base}.py`
        } else name = `${base}.py`
      } else {
        const ext = EXT[s.lang]
        if (test && s.testDir) {
          dir = s.testDir
          name = `${camel(base.replace(/_/g, '-'))}.test.${ext}`
        } else name = `${camel(base.replace(/_/g, '-'))}.${ext}`
      }
      const rel = `${dir}/${name}`
      s.file(rel, plainFile(s.lang, s.rng, rel, plainLength(s.rng)))
      dirFiles.set(dir, [...(dirFiles.get(dir) ?? []), name])
    }
  }
  for (const s of services) fill(s)

  // A few big files (generated code), one per language, in the first service of each language.
  if (bigShare) {
    const shares = { ts: 0.025, go: 0.015, rust: 0.012, py: 0.008 }
    for (const [lang, share] of Object.entries(shares)) {
      const s = services.find((x) => x.lang === lang && x.plainDirs.length)
      const dir = s.plainDirs[0]
      const name = { ts: 'generatedSchema.ts', go: 'models_gen.go', rust: 'generated_schema.rs', py: 'generated_schema.py' }[lang]
      s.file(`${dir}/${name}`, plainFile(lang, s.rng, `${dir}/${name}`, Math.round(target * share)))
      s.plainFiles.set(dir, [...(s.plainFiles.get(dir) ?? []), name])
    }
  }
  // Top up to the target, round-robin.
  for (let i = 0; result.lines < target; i++) fill(services[i % services.length], Infinity)

  // Module indexes for Rust (mod.rs) and Python (__init__.py) plain folders.
  for (const s of services) {
    if (s.lang === 'rust') {
      const areas = ['models', 'services', 'db', 'util', 'jobs']
      for (const area of areas) {
        const files = (s.plainFiles.get(`src/${area}`) ?? []).map((f) => f.replace(/\.rs$/, ''))
        s.file(
          `src/${area}/mod.rs`,
          [
            ...files.map((f) => `pub mod ${f};`),
            '',
            ...(area === 'models'
              ? ['#[derive(Debug, Clone, Default)]', 'pub struct Item {', '    pub quantity: i64,', '    pub amount: i64,', '    pub active: bool,', '}', '']
              : []),
          ].join('\n'),
        )
      }
    }
    if (s.lang === 'py') for (const dir of s.plainFiles.keys()) s.file(`${dir}/__init__.py`, '')
  }

  // Things the scan must skip or count as skipped.
  const firstOf = (lang) => services.find((x) => x.lang === lang)
  for (const s of services.filter((x) => x.lang === 'ts' || x.lang === 'js').slice(0, 6)) {
    ignored(
      `${s.dir}/node_modules/express/lib/router/example.js`,
      `const express = require('express')\nconst app = express()\napp.get('/phantom/node-modules', (req, res) => res.send('no'))\n${plainFile('js', rng, 'x/x.js', 300)}`,
    )
    ignored(
      `${s.dir}/node_modules/@acme/shared/dist/index.js`,
      `const { Router } = require('express')\nconst router = Router()\nrouter.post('/phantom/dist', (req, res) => res.end())\nmodule.exports = router\n${plainFile('js', rng, 'x/x.js', 200)}`,
    )
    ignored(
      `${s.dir}/dist/app.js`,
      `const app = require('express')()\napp.get('/phantom/build-output', (req, res) => res.end())\n${plainFile('js', rng, 'x/x.js', 400)}`,
    )
  }
  for (const s of services.filter((x) => x.lang === 'rust').slice(0, 4)) {
    ignored(
      `${s.dir}/target/debug/build/${s.name}-0a1b2c3d/out/generated.rs`,
      `#[get("/phantom/target")]\nfn phantom() -> &'static str {\n    "no"\n}\n${plainFile('rust', rng, 'x/x.rs', 400)}`,
    )
  }
  for (const s of services.filter((x) => x.lang === 'go').slice(0, 4)) {
    ignored(
      `${s.dir}/vendor/github.com/gin-gonic/gin/example.go`,
      `package gin\n\nfunc phantom(r *Engine) {\n\tr.GET("/phantom/vendor", nil)\n}\n${plainFile('go', rng, 'x/gin/x.go', 300).replace(/^package \w+\n/, '')}`,
    )
  }
  for (const s of services.filter((x) => x.lang === 'py').slice(0, 4)) {
    ignored(
      `${s.dir}/.venv/lib/python3.12/site-packages/flask/example.py`,
      `from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/phantom/venv")\ndef phantom():\n    return "no"\n\n\n${plainFile('py', rng, 'x/x.py', 300)}`,
    )
    ignored(`${s.dir}/${s.pkg}/__pycache__/example.py`, plainFile('py', rng, 'x/x.py', 100))
  }
  write('.gitignore', '# scratch space and generated clients\n/tmp/\n*.generated.ts\n')
  ignored('tmp/scratch/server.ts', "import express from 'express'\nconst app = express()\napp.get('/phantom/gitignored', (req, res) => res.end())\n")
  const ts = firstOf('ts')
  ignored(`${ts.dir}/src/api.generated.ts`, "import { Router } from 'express'\nexport const router = Router()\nrouter.get('/phantom/generated', () => {})\n")
  write(
    'docker-compose.yml',
    `services:\n${services
      .slice(0, 8)
      .map((s) => `  ${s.name}:\n    build: ./${s.dir}\n`)
      .join('')}`,
  )

  // Skipped by the scan as too large (over 2 MB) and as minified; they count as files, not lines.
  const seedRows = []
  for (let i = 0; seedRows.join('\n').length < 2.2 * 1024 * 1024 && i < 1e6; i += 500) {
    for (let j = i; j < i + 500; j++)
      seedRows.push(
        `  { id: 'ord_${String(j).padStart(7, '0')}', name: 'Order ${j}', amount: ${(j * 37) % 100000}, tags: ['${WORDS[j % WORDS.length]}', '${WORDS[(j * 7) % WORDS.length]}'] },`,
      )
  }
  write(`${ts.dir}/src/data/seed-data.ts`, `export const SEED = [\n${seedRows.join('\n')}\n]\n`)
  result.files++
  result.skipped['too-large']++
  const next = services.find((x) => x.kind === 'nextjs') ?? ts
  write(`${next.dir}/public/vendor.min.js`, `!function(){${Array.from({ length: 400 }, (_, i) => `var a${i}=function(b){return b*${i}};`).join('')}}();\n`)
  result.files++
  result.skipped.minified++

  // One file with a syntax error per language: still parsed, reported as PARSE_ERROR.
  const broken = {
    ts: [
      "import { logger } from './logger'",
      '',
      'export function draft(items: number[]) {',
      "  logger.debug('draft')",
      '  return items.map((x) => x * )',
      '}',
      '',
    ],
    go: ['package util', '', 'func Draft(items []int) int {', '\tfor _, item := range items {', '\t\treturn item +', '\t}', ''],
    rust: ['pub fn draft(items: &[i64]) -> i64 {', '    items.iter().map(|x| x * ).sum()', '}', ''],
    py: ['def draft(items):', '    return [x for x in items if x >', ''],
  }
  for (const [lang, text] of Object.entries(broken)) {
    const s = firstOf(lang)
    const dir = lang === 'ts' ? 'src/lib' : lang === 'go' ? 'pkg/util' : lang === 'rust' ? 'src/util' : s.plainDirs[0]
    s.file(`${dir}/wip_draft.${EXT[lang]}`, text.join('\n'))
    result.parseErrors++
  }

  result.services = services.map((s) => ({ dir: s.dir, kind: s.kind, lines: s.lines, routes: s.routes, frameworks: s.frameworks }))
  return result
}

/** True when `dir` is inside the repository: the generator never writes there. */
export function insideRepo(dir) {
  let real
  try {
    real = realpathSync(dir)
  } catch {
    real = resolve(dir)
  }
  const rel = relative(REPO, real)
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'))
}

/** A fresh temporary folder outside the repository. */
export function makeTempDir(prefix = 'parity-bench-') {
  return mkdtempSync(join(tmpdir(), prefix))
}

function formatCount(n) {
  return n.toLocaleString('en-US')
}

/** One-paragraph summary of a generated tree. */
export function describeTree(t) {
  const fam = Object.entries(t.byFamily)
    .map(([f, c]) => `${f} ${formatCount(c.files)} files / ${formatCount(c.lines)} lines`)
    .join(', ')
  const routes = Object.values(t.routes).reduce((a, b) => a + b, 0)
  return [
    `tree      ${t.dir}`,
    `sources   ${formatCount(t.files)} files, ${formatCount(t.lines)} lines, ${(t.bytes / 1048576).toFixed(1)} MiB written in all`,
    `languages ${fam}`,
    `services  ${t.services.length} (${formatCount(t.manifests)} manifests), ${formatCount(routes)} routes written`,
    `ignored   ${formatCount(t.ignored.files)} files / ${formatCount(t.ignored.lines)} lines in node_modules, dist, target, vendor, .venv, __pycache__, .gitignore`,
    `skipped   ${t.skipped['too-large']} too large, ${t.skipped.minified} minified; ${t.parseErrors} files with a syntax error`,
  ].join('\n')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
  const dir = values.out ? resolve(values.out) : makeTempDir()
  if (insideRepo(dir)) {
    console.error(`refusing to write the benchmark tree inside the repository (${dir}); pass --out outside it`)
    process.exit(2)
  }
  mkdirSync(dir, { recursive: true })
  const started = performance.now()
  const tree = generateTree({ dir, lines: Number(values.lines), seed: Number(values.seed) })
  const ms = performance.now() - started
  if (values.json) console.log(JSON.stringify({ ...tree, generateMs: Math.round(ms) }, null, 2))
  else console.log(`${describeTree(tree)}\ngenerated in ${(ms / 1000).toFixed(1)} s`)
  if (!values.keep) {
    rmSync(dir, { recursive: true, force: true })
    if (!values.json) console.log('tree deleted (pass --keep to keep it)')
  }
}
