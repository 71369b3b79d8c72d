/**
 * The stages of a run, in the order they run. `parity run` runs every stage its config enables;
 * a single-stage command names its stage and gets the same stage, with what it needs before it.
 * Each stage's work lives with its owner (scan, verify, mcp, bench, scorecard, plan, features,
 * status); this list is the one place that says what runs when.
 */
import { spawnSync } from 'node:child_process'
import { isResolvedEndpoint } from '../model/inventory.js'
import type { RunResult } from '../model/run.js'
import type { Stage } from './stage.js'
import { runResetCommand, verifiedCandidate } from './systems.js'

/** Said once, by the first of the replay and e2e stages that has no pair of systems to talk to. */
function noRunningPair(run: RunResult): RunResult {
  if (run.diagnostics.some((d) => d.code === 'NO_URL')) return run
  const message =
    'replay and e2e need a running baseline and candidate: give the systems a `run` block (parity starts them) or a `url`; the static results stand alone'
  return { ...run, diagnostics: [...run.diagnostics, { level: 'warn', code: 'NO_URL', message }] }
}

export const STAGES: readonly Stage[] = [
  {
    // Inventory every system (sources, OpenAPI documents, databases) and pair them.
    id: 'scan',
    title: 'scan',
    enabled: () => true,
    async run(_run, { config, events }) {
      const { diffConfig } = await import('../match/diff-run.js')
      return diffConfig(config, {
        introspect: async (url) => (await import('../database/introspect.js')).introspectDatabase(url),
        ...(events.onSystem ? { onSystem: events.onSystem } : {}),
        ...(events.onProgress ? { onProgress: (done: number, total: number) => events.onProgress!(done, total, 'files') } : {}),
      })
    },
  },
  {
    // What the running systems register: the scan's routes confirmed, its misses listed.
    id: 'runtime',
    title: 'route tap: starting the systems',
    enabled: (config) => [config.baseline, ...config.candidates].some((s) => s.run && s.run.tap !== false),
    needs: ['scan'],
    async run(run, { config }) {
      const { runRuntimeStage } = await import('../verify/runtime.js')
      return runRuntimeStage(run, config)
    },
  },
  {
    // The corpus replayed against the baseline and the first runnable candidate; noise learned from a second baseline.
    id: 'replay',
    title: 'replay',
    enabled: (config) => !!config.replay,
    needs: ['scan', 'runtime'],
    usesSystems: true,
    async run(run, { config, cwd, events, systems }) {
      const replay = config.replay!
      const baseline = config.baseline
      const candidate = verifiedCandidate(config)
      if (!candidate) return noRunningPair(run)
      const baseUrl = await systems.urlOf(baseline)
      // Noise is learned from two answers: a second instance when parity can start one, unless the config asks for `twice`.
      const baseUrl2 = baseline.url2 ?? (baseline.run && !replay.twice ? await systems.urlOf(baseline, '-2') : undefined)
      const candidateUrl = await systems.urlOf(candidate)
      const inventory = run.pairs.flatMap((p) => (p.baseline && isResolvedEndpoint(p.baseline) ? [p.baseline] : []))
      const resets = { baseline: baseline.resetCommand, candidate: candidate.resetCommand }
      const { replayEvidence } = await import('../verify/replay-result.js')
      const evidence = await replayEvidence({
        corpus: replay.corpus,
        baseline: baseUrl,
        candidate: candidateUrl,
        ...(baseUrl2 ? { baseline2: baseUrl2 } : {}),
        ...(replay.origin ? { origin: replay.origin } : {}),
        ...(replay.sessionHeader ? { sessionHeader: replay.sessionHeader } : {}),
        ...(replay.twice ? { twice: true } : {}),
        ...(replay.concurrency ? { concurrency: replay.concurrency } : {}),
        ...(replay.timeout ? { timeoutMs: replay.timeout * 1000 } : {}),
        ...(replay.ignore ? { ignore: replay.ignore } : {}),
        ...(replay.normalizers ? { normalizers: replay.normalizers } : {}),
        ...(config.redact ? { redact: config.redact } : {}),
        ...(events.onProgress ? { onProgress: (done: number, total: number) => events.onProgress!(done, total, 'exchanges') } : {}),
        inventory,
        resetsBaseline: !!baseline.resetCommand,
        reset: async (target) => {
          const command = resets[target]
          if (command) await runResetCommand(command, cwd, target)
        },
      })
      const { applyRouteEvidence } = await import('../verify/evidence.js')
      const next = applyRouteEvidence(run, evidence.routes, candidate.name)
      return { ...next, noise: evidence.noise, diagnostics: [...next.diagnostics, ...evidence.diagnostics] }
    },
  },
  {
    // The old end-to-end suite, run against the baseline and against the candidate.
    id: 'e2e',
    title: 'old e2e suite',
    enabled: (config) => !!config.e2e,
    needs: ['scan', 'runtime'],
    usesSystems: true,
    async run(run, { config, cwd, systems }) {
      const e2e = config.e2e!
      if (e2e.mcp) {
        const { mcpE2eTargets } = await import('../mcp/e2e-targets.js')
        const targets = mcpE2eTargets(config)
        if ('problem' in targets) return { ...run, diagnostics: [...run.diagnostics, { level: 'warn', code: 'E2E_NO_MCP_PAIR', message: targets.problem }] }
        const { runE2e } = await import('../verify/e2e.js')
        const result = await runE2e({
          command: e2e.command,
          ...targets,
          cwd,
          ...(e2e.env ? { envName: e2e.env } : {}),
          ...(e2e.junit ? { junit: e2e.junit } : {}),
          ...(e2e.timeout ? { timeoutMs: e2e.timeout * 1000 } : {}),
        })
        return { ...run, tests: result.tests }
      }
      const candidate = verifiedCandidate(config)
      if (!candidate) return noRunningPair(run)
      const { runE2e } = await import('../verify/e2e.js')
      const result = await runE2e({
        command: e2e.command,
        baseline: await systems.urlOf(config.baseline),
        candidate: await systems.urlOf(candidate),
        cwd,
        ...(e2e.env ? { envName: e2e.env } : {}),
        ...(e2e.junit ? { junit: e2e.junit } : {}),
        ...(e2e.timeout ? { timeoutMs: e2e.timeout * 1000 } : {}),
      })
      return { ...run, tests: result.tests }
    },
  },
  {
    // Two MCP servers probed, diffed and called.
    id: 'mcp',
    title: 'MCP servers',
    enabled: (config) => !!config.mcp || [config.baseline, ...config.candidates].some((s) => s.mcp),
    needs: ['scan'],
    async run(run, { config }) {
      const { runMcpStage } = await import('../mcp/stage.js')
      return runMcpStage(run, config)
    },
  },
  {
    id: 'mcp-bench',
    title: 'MCP bench',
    enabled: (config) => !!config.mcp?.bench,
    needs: ['scan', 'mcp'],
    async run(run, { config }) {
      const { runMcpBenchStage } = await import('../mcp/bench-stage.js')
      return runMcpBenchStage(run, config)
    },
  },
  {
    // Fresh instances of every system, measured side by side.
    id: 'bench',
    title: 'bench',
    enabled: (config) => !!config.bench,
    needs: ['scan'],
    async run(run, { config, events }) {
      const { runBenchStage } = await import('../bench/stage.js')
      return runBenchStage(run, config, events.onBenchEvent)
    },
  },
  {
    // Quality figures from the teams' own artifacts (coverage, types, audits, API docs, bundles).
    id: 'scorecard',
    title: 'scorecard',
    enabled: (config) => [config.baseline, ...config.candidates].some((s) => s.scorecard),
    needs: ['scan'],
    async run(run, { config }) {
      const { runScorecardStage } = await import('../scorecard/scorecard.js')
      return runScorecardStage(run, config)
    },
  },
  {
    // What to port next, ranked with the replay corpus's traffic and the baseline's coverage.
    id: 'plan',
    title: 'plan',
    enabled: () => true,
    needs: ['scan'],
    async run(run, { config, options }) {
      const { runPlanStage } = await import('../plan/stage.js')
      return runPlanStage(run, config, options.planRules ? { rulesFile: options.planRules } : {})
    },
  },
  {
    // Features from the statuses of their items: after every stage that changes a status.
    id: 'features',
    title: 'features',
    enabled: () => true,
    needs: ['scan'],
    async run(run, { config, options }) {
      const { runFeatureStage } = await import('../features/features.js')
      return runFeatureStage(run, config, { propose: !!options.proposeFeatures })
    },
  },
  {
    // The systems' status: cheap, only what has an address.
    id: 'status',
    title: 'status',
    enabled: () => true,
    needs: ['scan'],
    async run(run, { config }) {
      const { runStatusStage } = await import('../status/status.js')
      return runStatusStage(run, config)
    },
  },
  {
    // The commit the config's folder is at: the history's trend is read by commit.
    id: 'git',
    title: 'git',
    quiet: true,
    enabled: () => true,
    run(run, { cwd }) {
      const git = gitInfo(cwd)
      return git ? { ...run, git } : run
    },
  },
]

/** The commit and branch of the config's folder, when it is in a git work tree. */
function gitInfo(dir: string): RunResult['git'] | undefined {
  const git = (args: string[]) => {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', timeout: 5000 })
    return r.status === 0 ? r.stdout.trim() : undefined
  }
  const commit = git(['rev-parse', 'HEAD'])
  if (!commit) return undefined
  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD'])
  return { commit, ...(branch && branch !== 'HEAD' ? { branch } : {}) }
}
