/**
 * `parity cutover --check`: the generated nginx config run for real in front of the two systems,
 * the corpus replayed through it and against the baseline alone; the hybrid passes when no
 * exercised route answers differently from the baseline.
 */
import { plural } from '../model/words.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import { runSpecOf } from '../systems/spec.js'
import type { StartedSystem } from '../systems/types.js'
import { runReplay } from '../verify/replay-result.js'
import type { RouteEvidence } from '../model/exchange.js'
import { renderNginx } from './nginx.js'
import { planCutover, routeOf } from './routing.js'
import type { CutoverPlan } from './types.js'

export interface CheckInput {
  run: RunResult
  config?: ResolvedConfig
  candidate?: string
  canary?: number
  baselineUrl?: string
  candidateUrl?: string
  /** The corpus to replay (default: the config's `replay.corpus`). */
  corpus?: string
  onProgress?: (done: number, total: number) => void
}

export interface CheckResult {
  plan: CutoverPlan
  /** The gateway's address while it ran. */
  gateway: string
  /** Per exercised route: the gateway's answers against the baseline's alone. */
  routes: RouteEvidence[]
  /** Routes whose answers through the gateway differ from the baseline's. */
  differences: RouteEvidence[]
  /** Notes on the check itself (a baseline shared by both sides, failed requests). */
  notes: string[]
}

/** The candidate system of the config the plan is for: by name, else the first one parity can reach. */
function candidateSystem(config: ResolvedConfig | undefined, name: string | undefined): ResolvedSystem | undefined {
  if (!config) return undefined
  return config.candidates.find((s) => s.name === name) ?? config.candidates.find((s) => s.url || s.run)
}

export async function runCutoverCheck(input: CheckInput): Promise<CheckResult> {
  const corpus = input.corpus ?? input.config?.replay?.corpus
  if (!corpus)
    throw new ParityError(
      'NO_CORPUS',
      'cutover --check replays a corpus through the gateway, and none is given',
      'add `replay: { corpus }` to the config, or pass --corpus FILE',
    )
  const { requireNginx, startNginx } = await import('./gateway.js')
  requireNginx()
  const runCandidates = input.run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
  const wanted = input.candidate ?? runCandidates[0]
  const baseline = input.config?.baseline
  const candidate = candidateSystem(input.config, wanted)
  const dir = mkdtempSync(join(tmpdir(), 'parity-cutover-'))
  const started: StartedSystem[] = []
  const notes: string[] = []
  // The state the two systems behind the gateway share (`cutover.check.env`, `{tmp}` = this check's folder).
  const shared = Object.fromEntries(Object.entries(input.config?.cutover?.check?.env ?? {}).map(([k, v]) => [k, v.replaceAll('{tmp}', dir)]))
  const start = async (s: ResolvedSystem, instance?: string, env?: Record<string, string>) => {
    const { startSystem } = await import('../systems/supervisor.js')
    const withEnv = env && s.run && Object.keys(env).length ? { ...s, run: { ...s.run, env: { ...s.run.env, ...env } } } : s
    const system = await startSystem(await runSpecOf(withEnv, { logDir: join(dir, 'logs'), ...(instance ? { instance } : {}) }))
    started.push(system)
    return system.url
  }
  try {
    // The baseline alone and the baseline behind the gateway are two instances, so that one replay does not change the other's state.
    let aloneUrl = input.baselineUrl ?? baseline?.url
    let behindUrl = aloneUrl
    let aloneUrl2: string | undefined
    if (!input.baselineUrl && baseline?.run) {
      aloneUrl = await start(baseline, '-alone')
      // A second baseline alone, as `parity run` has: what two baselines answer differently (a random secret) is noise, not a difference.
      aloneUrl2 = await start(baseline, '-alone-2')
      behindUrl = await start(baseline, '-gateway', shared)
    } else if (baseline?.url2 && !input.baselineUrl) behindUrl = baseline.url2
    else if (aloneUrl) notes.push('the baseline alone and the gateway share one baseline instance: a mutating request is applied twice to it')
    const candidateUrl = input.candidateUrl ?? candidate?.url ?? (candidate?.run ? await start(candidate, undefined, shared) : undefined)
    if (!aloneUrl || !behindUrl)
      throw new ParityError(
        'NO_URL',
        'cutover --check needs the baseline running',
        'give the baseline a `run` block or a `url` in the config, or pass --baseline-url',
      )
    if (!candidateUrl)
      throw new ParityError(
        'NO_URL',
        'cutover --check needs the candidate running',
        'give the candidate a `run` block or a `url` in the config, or pass --candidate-url',
      )
    // Every moved route goes wholly to the candidate, so that each one is proven; a canary only sends it less traffic.
    if (input.canary !== undefined && input.canary < 100)
      notes.push(`the check sends every moved route wholly to the candidate (--canary ${input.canary} only changes how much traffic it gets)`)
    const plan = planCutover(input.run, {
      baselineUrl: behindUrl,
      candidateUrl,
      ...(wanted ? { candidate: wanted } : {}),
      ...(input.config?.cutover ? { force: input.config.cutover.force } : {}),
    })
    const { freePort } = await import('../systems/local-ports.js')
    const port = await freePort()
    const gateway = await startNginx(renderNginx(plan, { port, runtimeDir: join(dir, 'nginx') }), join(dir, 'nginx'), port)
    started.push(gateway)
    const replay = input.config?.replay
    const replayed = await runReplay({
      corpus,
      baseline: aloneUrl,
      candidate: gateway.url,
      ...(aloneUrl2 ? { baseline2: aloneUrl2 } : {}),
      ...(replay?.origin ? { origin: replay.origin } : {}),
      ...(replay?.concurrency ? { concurrency: replay.concurrency } : {}),
      ...(replay?.timeout ? { timeoutMs: replay.timeout * 1000 } : {}),
      ...(replay?.ignore ? { ignore: replay.ignore } : {}),
      ...(replay?.normalizers ? { normalizers: replay.normalizers } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    })
    for (const d of replayed.diagnostics) if (d.level !== 'info') notes.push(`${d.code}: ${d.message}`)
    if (!gateway.alive) notes.push(`nginx exited during the replay; its log: ${gateway.logFile}`)
    const routes = (replayed.routes ?? []).filter((r) => r.status !== 'unexercised')
    // A route the gateway sends to the baseline answers differently only when state written through the candidate is missing there.
    const differs = (r: RouteEvidence) => r.status === 'divergent' || r.status === 'missing' || r.status === 'consequence'
    const split = routes.filter((r) => differs(r) && routeOf(plan, r.method, r.path)?.to !== 'candidate')
    if (split.length) {
      notes.push(
        `${plural(split.length, 'route')} sent to the baseline answer differently: the two systems do not share state (what the candidate stored is not in the baseline's store); a hybrid needs one shared database for both: set it in the config's \`cutover: { check: { env: { DATABASE: '{tmp}/hybrid.sqlite' } } }\``,
      )
    }
    return { plan, gateway: gateway.url, routes, differences: routes.filter(differs), notes }
  } finally {
    await Promise.all(started.map((s) => s.stop()))
    rmSync(dir, { recursive: true, force: true })
  }
}
