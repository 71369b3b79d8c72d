import { parseGate, type ParsedGate } from '../assess/gates.js'
import { writeFileSync } from 'node:fs'
import { requireConfig } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import { emptyRun } from '../model/empty-run.js'
import { numberFlag, parseCommandArgs, secondsFlag, tableOrJson } from './args.js'
import type { Command, CommandIo } from './command.js'
import { emit } from './output.js'

const HELP = `Usage: parity bench --target URL [--target URL2] [options]
       parity bench [--config FILE]                     (the config's systems and scenarios)
       parity bench ... --export k6 FILE.js             (the same load as a k6 script)

Benchmark running servers the same way, in the same run: trials alternate between the targets
(A B A B) so that drift of a shared machine falls on both; latency is recorded in HDR histograms
in microseconds. The first --target is the baseline. Without --target, the config's systems are
started by parity (cold start measured, process tree sampled for RSS and CPU) and stopped after.

Options:
  --target URL          a running server (repeat for a second one); load goes only to loopback
                        unless --allow-remote
  --path /p             the request path (repeat for an even mix; default /)
  --method M            for every --path (default GET)
  --header "K: V"       sent with every request (repeatable)
  --connections N       closed model: requests in flight (default 16)
  --rate R              open model: R requests per second, latency from the intended send time
  --duration S          seconds measured per trial (default 5)
  --warmup S            seconds of load before each trial, not recorded (default 2)
  --trials N            trials per target (default 3)
  --timeout S           per request (default 10)
  --ws /path            WebSocket fan-out instead: --connections subscribers (default 50) on a path
                        that broadcasts, one publisher sends --messages (default 200)
  --messages N          with --ws
  --export k6 FILE.js   write the scenario as a k6 script with the gates as thresholds; no load sent
  --allow-remote        allow a target that is not on this machine
  --config FILE         the config (default: parity.config.* in this folder, when no --target)
  --format table|json   output (default table); json is a RunResult with \`bench\`
  --out FILE            write the output to FILE
Exit code 0 when the trials ran, 1 when a bench gate of the config fails, 2 on error.
`

export const benchCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs('bench', argv, {
    target: { type: 'string', multiple: true },
    path: { type: 'string', multiple: true },
    method: { type: 'string' },
    header: { type: 'string', multiple: true },
    connections: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    trials: { type: 'string' },
    timeout: { type: 'string' },
    export: { type: 'string' },
    ws: { type: 'string' },
    messages: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    config: { type: 'string' },
    format: { type: 'string', default: 'table' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = tableOrJson('bench', values.format)
  const connections = numberFlag('connections', values.connections, { min: 1, integer: true })
  const rate = numberFlag('rate', values.rate)
  const duration = secondsFlag('duration', values.duration, { min: 0.1 })
  const warmup = secondsFlag('warmup', values.warmup, { min: 0 })
  const trials = numberFlag('trials', values.trials, { min: 1, integer: true })
  const timeout = secondsFlag('timeout', values.timeout)
  const messages = numberFlag('messages', values.messages, { min: 1, integer: true })
  const wsPath = values.ws
  if (wsPath !== undefined && !wsPath.startsWith('/'))
    throw new ParityError('USAGE', `--ws ${wsPath} must be a path starting with /`, 'write --ws /ws/feed; the host comes from --target')
  const exportK6 = values.export
  if (exportK6 !== undefined && exportK6 !== 'k6') throw new ParityError('USAGE', `--export ${exportK6}: only k6 is supported`, 'write `--export k6 FILE.js`')
  const { checkTarget, runBench } = await import('../bench/runner.js')
  const { BENCH_DEFAULTS, scenariosOf } = await import('../bench/stage.js')
  const targets = values.target ?? []
  const k6File = exportK6 ? positionals[0] : undefined
  if (exportK6 && !k6File) throw new ParityError('USAGE', '--export k6 needs a file name', 'write `--export k6 bench.js`')
  if (positionals.length > (exportK6 ? 1 : 0))
    throw new ParityError('USAGE', `bench: unexpected argument ${positionals[exportK6 ? 1 : 0]}`, 'run `parity bench --help` for the options')

  let run: RunResult
  let gatesFailed = false
  if (targets.length) {
    if (targets.length > 2)
      throw new ParityError('USAGE', `${targets.length} targets: bench compares one or two`, 'give --target BASELINE_URL [--target CANDIDATE_URL]')
    for (const t of targets) checkTarget(t, !!values['allow-remote'])
    const method = (values.method ?? 'GET').toUpperCase()
    const headers = (values.header ?? []).map((h) => {
      const i = h.indexOf(':')
      if (i <= 0) throw new ParityError('USAGE', `--header ${h} is not "Name: value"`, 'write --header "authorization: Bearer x"')
      // A CR or LF would end the header line and start another one (header injection).
      if (/[\r\n]/.test(h)) throw new ParityError('USAGE', `--header ${JSON.stringify(h)} holds a line break`, 'give one header per --header, on one line')
      return [h.slice(0, i).trim().toLowerCase(), h.slice(i + 1).trim()] as [string, string]
    })
    const paths = values.path ?? ['/']
    for (const p of paths)
      if (!p.startsWith('/'))
        throw new ParityError('USAGE', `--path ${p} must start with /`, 'give a path on the target, like --path /api/items; the host comes from --target')
    const requests = paths.map((path) => ({ method, path, ...(headers.length ? { headers } : {}) }))
    const scenario = { name: paths.length === 1 ? `${method} ${paths[0]}` : 'mix', requests }
    if (k6File) {
      const { toK6Script } = await import('../bench/k6.js')
      writeOut(
        k6File,
        toK6Script({
          url: targets[targets.length - 1]!,
          requests,
          connections: connections ?? BENCH_DEFAULTS.connections,
          durationMs: (duration ?? BENCH_DEFAULTS.duration) * 1000,
          ...(rate ? { rate } : {}),
        }),
      )
      io.stderr(`wrote ${k6File}: run it with \`k6 run ${k6File}\`\n`)
      return 0
    }
    const report = await runBench({
      ...(wsPath ? { websocket: { path: wsPath, connections: connections ?? 50, messages: messages ?? 200 } } : {}),
      sides: targets.map((url, i) => ({
        name: targets.length === 1 ? 'target' : i === 0 ? 'baseline' : 'candidate',
        role: i === 0 ? 'baseline' : 'candidate',
        url,
      })),
      scenarios: wsPath ? [] : [scenario],
      connections: connections ?? BENCH_DEFAULTS.connections,
      ...(rate ? { rate } : {}),
      durationMs: (duration ?? BENCH_DEFAULTS.duration) * 1000,
      warmupMs: (warmup ?? BENCH_DEFAULTS.warmup) * 1000,
      trials: trials ?? BENCH_DEFAULTS.trials,
      startup: false,
      ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
      onEvent: progressLine(io),
    })
    run = {
      ...emptyRun(),
      bench: report.entries,
      benchComparisons: report.comparisons,
      ...(report.ws ? { wsBench: report.ws } : {}),
    }
  } else {
    const config = await requireConfig('bench', values.config)
    const bench = {
      ...(config.bench ?? {}),
      ...(connections ? { connections } : {}),
      ...(rate ? { rate } : {}),
      ...(duration ? { duration } : {}),
      ...(warmup !== undefined ? { warmup } : {}),
      ...(trials ? { trials } : {}),
    }
    if (k6File) {
      const { readCorpus } = await import('../verify/corpus.js')
      const scenarios = scenariosOf(bench, config.replay?.corpus, (f) => readCorpus(f))
      if (!scenarios.length)
        throw new ParityError(
          'NO_SCENARIO',
          'nothing to export: the config has no bench scenarios and no usable replay corpus',
          'add bench.scenarios to the config',
        )
      const target = config.candidates.find((c) => c.url)?.url ?? 'http://127.0.0.1:3000'
      const { toK6Script } = await import('../bench/k6.js')
      writeOut(
        k6File,
        toK6Script({
          url: target,
          requests: scenarios.flatMap((s) => s.requests),
          connections: bench.connections ?? BENCH_DEFAULTS.connections,
          durationMs: (bench.duration ?? BENCH_DEFAULTS.duration) * 1000,
          ...(bench.rate ? { rate: bench.rate } : {}),
          thresholds: k6Thresholds(config.gates),
        }),
      )
      io.stderr(`wrote ${k6File}: run it with \`k6 run -e BASE_URL=<candidate URL> ${k6File}\`\n`)
      return 0
    }
    const { runPipeline } = await import('../run/pipeline.js')
    run = await runPipeline({ config: { ...config, bench }, only: ['bench'], events: { onBenchEvent: progressLine(io) } })
    const { isBenchGate } = await import('../assess/gates.js')
    const gates = config.gates.filter(isBenchGate)
    const objectives = config.objectives.filter((o) => isBenchGate(o.gate))
    if (gates.length || objectives.length) {
      const { assess } = await import('../assess/gates.js')
      run.assessment = assess(run, gates, config.accepted, undefined, objectives)
      gatesFailed = !run.assessment.verdict.productionReady
    }
  }
  const { renderBenchTable } = await import('../report/bench-table.js')
  emit(io, format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : renderBenchTable(run), values.out)
  const none = (run.bench ?? []).filter((e) => !e.trials.some((t) => t.result && !t.failed))
  if (none.length) {
    io.stderr(
      `error: no successful trial for ${none.map((e) => `${e.system ?? e.target} (${e.scenario})`).join(', ')}: ${none[0]!.trials[0]?.failed ?? 'nothing was measured'}\nhint: check that the server is up at ${none[0]!.target}, or see its log\n`,
    )
    return 2
  }
  return gatesFailed ? 1 : 0
}

/** Absolute latency gates (`p95 < 100ms`, `p99 <= 1s`) become k6 thresholds; the gate grammar is parseGate's. */
function k6Thresholds(gates: string[]): { p95Ms?: number; p99Ms?: number } {
  const out: { p95Ms?: number; p99Ms?: number } = {}
  for (const text of gates) {
    let g: ParsedGate
    try {
      g = parseGate(text)
    } catch {
      continue // the config loader has reported it
    }
    if ((g.metric === 'p95' || g.metric === 'p99') && !g.relative && (g.op === '<' || g.op === '<=') && g.value !== undefined)
      out[g.metric === 'p95' ? 'p95Ms' : 'p99Ms'] = g.value
  }
  return out
}

/** A live line per trial on a TTY: elapsed, req/s, current p99, errors; quiet otherwise. */
export function progressLine(io: CommandIo) {
  let label = ''
  return (e: import('../bench/runner.js').BenchEvent) => {
    if (!io.interactive) return
    if (e.type === 'startup') io.stderr(`\r\x1b[2Kcold starts of ${e.side}…`)
    else if (e.type === 'trial') label = `${e.side} · ${e.scenario} · trial ${e.trial + 1}/${e.trials}`
    else if (e.type === 'progress') {
      const p = e.progress
      io.stderr(`\r\x1b[2K${label}  ${(p.elapsedMs / 1000).toFixed(1)} s  ${Math.round(p.rps)} req/s  p99 ${p.p99.toFixed(2)} ms  ${p.errors} errors`)
    } else if (e.type === 'trial-end') io.stderr('\r\x1b[2K')
  }
}

/** Write a file the user named; a path that cannot be written is a usage error, not a crash. */
function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text)
  } catch (e) {
    throw new ParityError(
      'OUT_UNWRITABLE',
      `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'give a path in a folder that exists and that you can write',
    )
  }
}
