#!/usr/bin/env node
// Diff throughput alone: learns noise from two baseline answers, then compares 20,000 generated
// exchanges (JSON bodies of about 2 KB with nested arrays, random ids, timestamps and tokens; one
// in ten with a planted difference) and joins them into route evidence. Prints exchanges per second
// for each step. Needs `npm run build` (or PARITY_DIST=folder of a build). Flags: --exchanges N.
import { performance } from 'node:perf_hooks'

const dist = process.env.PARITY_DIST ?? new URL('../dist', import.meta.url).pathname
const { compareExchange } = await import(`${dist}/verify/exchange-diff.js`)
const { learnNoise } = await import(`${dist}/verify/noise.js`)
const { routeEvidence } = await import(`${dist}/verify/evidence.js`)
const { inferRouteKey } = await import(`${dist}/model/route-infer.js`)

const i = process.argv.indexOf('--exchanges')
const n = i > 0 ? Number(process.argv[i + 1]) || 20_000 : 20_000
let seed = 1
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const hex = (k) => Array.from({ length: k }, () => Math.floor(random() * 16).toString(16)).join('')
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`

function answer(id, planted) {
  const body = {
    id,
    uuid: uuid(),
    createdAt: new Date(1.7e12 + random() * 1e10).toISOString(),
    token: `eyJ${hex(10)}Ab.${hex(30)}Zz`,
    owner: { id: 7, name: 'ann', roles: ['admin', 'user'] },
    items: Array.from({ length: 12 }, (_, k) => ({ sku: `s${k}`, qty: k, price: 10.5 + k, ref: uuid(), tags: ['a', 'b'] })),
    total: planted ? '126' : 126,
  }
  const text = JSON.stringify(body)
  return {
    status: 200,
    durationMs: 1,
    headers: [
      ['content-type', 'application/json'],
      ['x-request-id', uuid()],
    ],
    body: { text, size: text.length },
  }
}

const replayed = Array.from({ length: n }, (_, k) => {
  const request = { method: 'GET', url: `/api/orders/${k}`, headers: [] }
  return {
    exchange: { id: String(k), session: String(k % 100), seq: k, request },
    sent: { baseline: request, candidate: request },
    baseline: answer(k, false),
    baseline2: answer(k, false),
    candidate: answer(k, k % 10 === 0),
  }
})

const t0 = performance.now()
const rules = learnNoise(replayed, inferRouteKey)
const t1 = performance.now()
const verdicts = replayed.map((x) => compareExchange(x, rules))
const t2 = performance.now()
const routes = routeEvidence(replayed, verdicts)
const t3 = performance.now()

const rate = (ms) => Math.round(n / (ms / 1000)).toLocaleString('en')
console.log(`exchanges           ${n.toLocaleString('en')} (about ${replayed[0].baseline.body.size} B of JSON per answer)`)
console.log(`learnNoise          ${(t1 - t0).toFixed(0)} ms  ${rate(t1 - t0)} exchanges/s  ${rules.length} rules`)
console.log(
  `compareExchange     ${(t2 - t1).toFixed(0)} ms  ${rate(t2 - t1)} exchanges/s  ${verdicts.filter((v) => v.outcome === 'different').length} different`,
)
console.log(`routeEvidence       ${(t3 - t2).toFixed(0)} ms  ${rate(t3 - t2)} exchanges/s  ${routes.length} routes`)
