/**
 * `parity replay` as a run: read the corpus, replay it against both sides (the baseline twice when
 * asked, to learn noise), compare every exchange, and return a RunResult whose `routes` hold the
 * evidence and whose pairs are the exercised routes, verified, divergent, missing or (unproven, or
 * only likely consequences) ported.
 */
import { plural } from '../model/words.js'
import { ParityError } from '../model/errors.js'
import { basename } from 'node:path'
import { summarizePairs } from '../match/diff.js'
import type { Diagnostic, EndpointItem } from '../model/inventory.js'
import { componentOf } from '../model/path.js'
import type { Pair, RunResult, SystemResult } from '../model/run.js'
import { emptyRun } from '../model/empty-run.js'
import { inferRouteKey } from '../model/route-infer.js'
import { compareExchange, type CompareOptions } from './exchange-diff.js'
import { routeEvidence } from './evidence.js'
import { countSilenced, keepTypeAndPresence, learnNoise, unusedRules } from './noise.js'
import { readCorpus } from './corpus.js'
import { replayCorpus } from './replay.js'
import type { Exchange, IgnoreRule, RouteEvidence } from '../model/exchange.js'

export interface ReplayRunInput {
  corpus: string
  baseline: string
  baseline2?: string
  candidate: string
  origin?: string
  /** A request header that names the client, for a HAR's sessions (readCorpus). */
  sessionHeader?: string
  /** Endpoints to join exchanges to (from a scan); else templates are inferred from the corpus. */
  inventory?: EndpointItem[]
  /** Replay the corpus against the baseline a second time (after `reset`), to learn noise. */
  twice?: boolean
  reset?: (target: 'baseline' | 'candidate') => Promise<void>
  /**
   * Whether `reset('baseline')` brings the baseline back to its first state (default: whether
   * `reset` is given). Without it, `twice` on a corpus with writes is refused: the second pass would
   * meet the first pass's leftovers and learn them as noise.
   */
  resetsBaseline?: boolean
  ignore?: IgnoreRule[]
  /** Switch cross-language normalisers off by name. */
  normalizers?: CompareOptions['normalizers']
  concurrency?: number
  timeoutMs?: number
  onProgress?: (done: number, total: number) => void
  /** More secret names for what the result stores (differences, examples); `keep` is ignored. */
  redact?: { headers?: string[]; fields?: string[] }
}

/** What a replay establishes: each route's evidence, the noise learned, and what went wrong. */
export interface ReplayEvidence {
  routes: RouteEvidence[]
  noise: IgnoreRule[]
  diagnostics: Diagnostic[]
  /** Exchanges in the corpus that were replayed (for the standalone run's figures). */
  exchanges: number
}

/** Replays the corpus against both sides and compares every answer: the replay stage's evidence. */
export async function replayEvidence(input: ReplayRunInput): Promise<ReplayEvidence> {
  const corpus = readCorpus(input.corpus, {
    ...(input.origin ? { origin: input.origin } : {}),
    ...(input.sessionHeader ? { sessionHeader: input.sessionHeader } : {}),
  })
  // Nothing to replay is no clean replay.
  if (!corpus.exchanges.length) {
    throw new ParityError(
      'EMPTY_CORPUS',
      `${input.corpus} holds no exchange${corpus.skipped.length ? ' for the recorded service' : ''}: nothing to replay`,
      'record one with `parity record --target URL --out FILE`, or point replay.corpus at a file with exchanges',
    )
  }
  refuseTwiceWithoutReset(
    input,
    corpus.exchanges.filter((e) => !corpus.origin || !e.host || e.host === corpus.origin),
  )
  const replayed = await replayCorpus(
    corpus,
    { baseline: input.baseline, candidate: input.candidate, ...(input.baseline2 ? { baseline2: input.baseline2 } : {}) },
    {
      ...(input.concurrency ? { concurrency: input.concurrency } : {}),
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.twice ? { twice: true } : {}),
      ...(input.reset ? { reset: input.reset } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
  )
  // Scenario steps hold `${id}` references: their routes come from the URL actually sent.
  for (const x of replayed) {
    if (x.exchange.request.url.includes('${')) x.exchange = { ...x.exchange, request: { ...x.exchange.request, url: x.sent.baseline.url } }
  }
  const origin = (url: string | undefined) => (url ? new URL(url).origin : undefined)
  const learned = learnNoise(replayed, inferRouteKey, { baseline: origin(input.baseline), baseline2: origin(input.baseline2 ?? input.baseline) })
  const rules = [...learned, ...(input.ignore ?? [])]
  const routeKeys = replayed.map((x) => inferRouteKey(x.exchange))
  const options = (route: string): CompareOptions => ({
    route,
    origins: { baseline: origin(input.baseline), candidate: origin(input.candidate) },
    ...(input.normalizers ? { normalizers: input.normalizers } : {}),
  })
  const verdicts = replayed.map((x, i) => {
    const verdict = compareExchange(x, rules, options(routeKeys[i]!))
    if (!learned.length || !verdict.ignored.length) return verdict
    // What the learned rules silenced is compared again without them: a change of type or presence stays a difference.
    return keepTypeAndPresence(verdict, compareExchange(x, input.ignore ?? [], options(routeKeys[i]!)), learned, routeKeys[i]!)
  })
  const noise = countSilenced(learned, verdicts, routeKeys)
  const inventory = input.inventory?.map((i) => ({ method: i.method, path: i.path, key: i.key }))
  const routes = routeEvidence(replayed, verdicts, inventory, { ...input.redact })

  const diagnostics: Diagnostic[] = []
  for (const s of corpus.skipped) {
    diagnostics.push({
      level: 'info',
      code: 'OTHER_HOST',
      message: `${plural(s.count, 'exchange')} for ${s.host} skipped: not the recorded service${corpus.origin ? ` (${corpus.origin})` : ''}, never sent`,
    })
  }
  for (const rule of unusedRules(input.ignore ?? [], replayed)) {
    diagnostics.push({
      level: 'warn',
      code: 'IGNORE_RULE_UNUSED',
      message: `ignore rule ${rule.route} ${rule.where} ${rule.pointer} matches nothing in the replayed answers`,
    })
  }
  // Exchanges the corpus cannot reproduce were sent to neither side: no comparison, said so.
  const notSent = replayed.filter((x) => x.baseline.error?.code === 'not-sent')
  if (notSent.length) {
    const all = notSent.length === replayed.length
    diagnostics.push({
      level: all ? 'error' : 'warn',
      code: 'REPLAY_NOT_SENT',
      message: `${all ? 'no exchange could be sent' : `${notSent.length} of ${plural(replayed.length, 'exchange')} not sent`}, their routes not compared by them: ${notSent
        .slice(0, 3)
        .map((x) => `${x.exchange.request.method} ${x.exchange.request.url}: ${x.baseline.error!.message}`)
        .join('; ')} (record uploads with \`parity record\`, or export the HAR with its content)`,
    })
  }
  const failures = replayed.filter((x) => (x.candidate.error || x.baseline.error) && x.baseline.error?.code !== 'not-sent')
  if (failures.length) {
    diagnostics.push({
      level: 'warn',
      code: 'REPLAY_ERRORS',
      message: `${plural(failures.length, 'exchange')} failed on a target (timeout, refused, reset): ${failures
        .slice(0, 3)
        .map((x) => `${x.exchange.request.method} ${x.exchange.request.url}: ${(x.candidate.error ?? x.baseline.error)!.message}`)
        .join('; ')}`,
    })
  }
  return { routes, noise, diagnostics, exchanges: corpus.exchanges.length }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * `twice` learns noise from the baseline answering the corpus a second time: where the corpus
 * writes, the second pass meets the first pass's leftovers (a created item exists, a list is
 * longer), and every such difference would be learned as noise and hide real differences. So
 * without a second instance, a corpus with writes needs a reset of the baseline between the passes.
 */
function refuseTwiceWithoutReset(input: ReplayRunInput, exchanges: Exchange[]): void {
  if (!input.twice || input.baseline2 || (input.resetsBaseline ?? !!input.reset)) return
  // The exchanges that will be sent (those of the recorded service, not opted out) that may change state.
  const writes = exchanges.filter((e) => !e.skipReplay && !SAFE_METHODS.has(e.request.method.toUpperCase()))
  if (!writes.length) return
  const first = writes[0]!.request
  throw new ParityError(
    'TWICE_NEEDS_RESET',
    `replaying twice (--twice, replay.twice) a corpus with ${plural(writes.length, 'write')} (${first.method.toUpperCase()} ${first.url.split('?')[0]}${writes.length > 1 ? ', …' : ''}) and no reset: the second baseline pass would meet the first pass's data and learn it as noise`,
    'give a reset run between the passes (`--reset CMD`, or `resetCommand` on the baseline in the config), or a second baseline instance (`--baseline2 URL`, or `url2` on the baseline in the config)',
  )
}

/**
 * `parity replay` with URLs: the evidence as a run of its own, whose pairs are the exercised routes
 * (verified, divergent, missing or, unproven or only likely consequences, ported).
 */
export async function runReplay(input: ReplayRunInput): Promise<RunResult> {
  const startedAt = new Date().toISOString()
  const { routes, noise, diagnostics, exchanges } = await replayEvidence(input)
  const source = { file: basename(input.corpus), line: 1 }
  const pairs: Pair[] = routes
    .filter((r) => r.status !== 'unexercised')
    .map((r) => {
      const item: EndpointItem = { kind: 'route', method: r.method, path: r.path, key: r.key, framework: 'replay', component: componentOf(r.path), source }
      return {
        kind: 'route',
        key: r.key,
        component: item.component,
        status: r.status === 'verified' || r.status === 'divergent' || r.status === 'missing' ? r.status : 'ported',
        baseline: item,
        candidate: r.status === 'missing' ? null : item,
        candidateSystem: 'candidate',
        via: 'key',
      }
    })
  const stats = { files: 1, parsed: 1, lines: exchanges, skipped: {} }
  const system = (name: string, role: SystemResult['role'], url: string): SystemResult => ({
    name,
    role,
    source: url,
    sourceKind: 'url',
    frameworks: [],
    stats,
    items: { route: pairs.length },
    diagnostics: [],
  })
  const figures = summarizePairs(pairs, ['candidate'])
  // Routes that differ only as likely consequences stay ported, counted apart beside the figure.
  const consequences = routes.filter((r) => r.status === 'consequence').length
  if (consequences) figures.summary.consequences = consequences
  return {
    ...emptyRun(startedAt),
    systems: [system('baseline', 'baseline', input.baseline), system('candidate', 'candidate', input.candidate)],
    pairs,
    nearMisses: [],
    ...figures,
    diagnostics,
    routes,
    noise,
  }
}
