import { isEndpoint } from '../model/inventory.js'
import { ParityError } from '../model/errors.js'
import { loadInventory } from '../scan/load-inventory.js'
import { runReplay } from '../verify/replay-result.js'
import { numberFlag, parseCommandArgs, REDACT_FLAGS, redactFlags, secondsFlag, tableOrJson } from './args.js'
import type { Command } from './command.js'
import { emit } from './output.js'
import { runStages } from './config-command.js'
import { requireConfig } from '../config/load.js'
import type { RunResult } from '../model/run.js'
import { relative } from 'node:path'
import { createProgress } from './progress.js'
import { renderReplay } from '../report/replay-table.js'

const HELP = `Usage: parity replay --corpus FILE --baseline URL [--baseline2 URL] --candidate URL [options]
       parity replay [--config FILE]         (the config's corpus and systems, as \`parity run\` replays them)

Replay a recorded corpus (HAR 1.2, parity NDJSON, or a YAML scenario) against the baseline and the
candidate, session by session, with ids, tokens and cookies correlated per target, and compare
every answer. Noise is learned where two baseline answers differ (--baseline2, a second instance,
or --twice, the same instance twice). Routes whose exchanges were all equivalent are verified, any
difference makes them divergent; answers alike but vacuous (401, 404, 5xx) are unproven; a route the
candidate answers 404/405 wherever the baseline serves it is missing. Differences are grouped by
request shape (query parameter names, body keys); a difference after a write one side refused, on
what it touched, is a likely consequence linked to that write (a route with only those: consequence).

With a config, its systems are scanned, started (their \`run\` blocks, stopped with their process
trees afterwards) or reached (\`url\`), and the corpus of its \`replay\` block is replayed with its
rules; the flags below override the block's.

Options:
  --config FILE         the config (default: parity.config.* in this folder, when no URL is given)
  --origin HOST         the recorded service, when the corpus holds several hosts (default: the most frequent)
  --session-header NAME a request header that names the client: a HAR's entries with the same value are one session
  --inventory PATH      join exchanges to the routes of a source tree, OpenAPI document or inventory JSON
  --twice               without --baseline2: replay against the baseline a second time to learn noise;
                        a corpus with writes (any method but GET, HEAD, OPTIONS) then needs --reset
  --reset CMD           a shell command that brings a target back to its first state, run before the
                        replay for each side and between the two baseline passes of --twice (the side
                        in PARITY_RESET_TARGET); with a config it replaces the systems' resetCommand
  --concurrency N       sessions in flight (default 8)
  --timeout S           per request (default 10)
  --allow-remote        allow a target that is not on this machine (default: loopback only)
  --redact-header NAME  one more header whose value is secret in the stored differences and examples
  --redact-field NAME   one more JSON, form or query field whose value is secret (both repeatable)
  --format table|json   output (default table); json is a RunResult with \`routes\` and \`noise\`
  --out FILE            write the output to FILE
Exit code 1 when a route diverges, 2 on error.
`

export const replayCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs('replay', argv, {
    corpus: { type: 'string' },
    baseline: { type: 'string' },
    baseline2: { type: 'string' },
    candidate: { type: 'string' },
    origin: { type: 'string' },
    'session-header': { type: 'string' },
    inventory: { type: 'string' },
    config: { type: 'string' },
    twice: { type: 'boolean' },
    reset: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    ...REDACT_FLAGS,
    format: { type: 'string', default: 'table' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = tableOrJson('replay', values.format)
  const concurrency = numberFlag('concurrency', values.concurrency, { min: 1, integer: true })
  const timeout = secondsFlag('timeout', values.timeout)
  const given = (['corpus', 'baseline', 'baseline2', 'candidate', 'inventory'] as const).filter((flag) => values[flag])
  if (values.config || !given.length) {
    if (given.length)
      throw new ParityError(
        'USAGE',
        `replay: --${given[0]} with a config`,
        'the config gives the corpus, the systems and the inventory: drop the flag, or drop --config and give --corpus, --baseline and --candidate',
      )
    const config = await requireConfig('replay', values.config)
    if (!config.replay)
      throw new ParityError(
        'NO_REPLAY',
        `${relative(process.cwd(), config.file)} has no \`replay\` block`,
        'add `replay: { corpus: traffic.har }` to the config (record one with `parity record`), or give --corpus, --baseline and --candidate',
      )
    const redact = redactFlags(values)
    const replay = {
      ...config.replay,
      ...(values.origin ? { origin: values.origin } : {}),
      ...(values['session-header'] ? { sessionHeader: values['session-header'] } : {}),
      ...(values.twice ? { twice: true } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(timeout ? { timeout } : {}),
    }
    const merged = { headers: [...(config.redact?.headers ?? []), ...redact.headers], fields: [...(config.redact?.fields ?? []), ...redact.fields] }
    const reset = values.reset
    const systems = reset
      ? { baseline: { ...config.baseline, resetCommand: reset }, candidates: config.candidates.map((c) => ({ ...c, resetCommand: reset })) }
      : {}
    const run = await runStages({ ...config, ...systems, replay, redact: merged }, ['replay'], io)
    emit(io, format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : renderReplay(run), values.out)
    // Nothing replayed (no pair of systems to talk to) is an error, never a clean replay.
    if (run.diagnostics.some((d) => d.code === 'NO_URL')) return 2
    return exitOf(run)
  }
  const { corpus, baseline, candidate } = values
  if (!corpus || !baseline || !candidate) {
    const flag = !corpus ? 'corpus' : !baseline ? 'baseline' : 'candidate'
    throw new ParityError(
      'USAGE',
      `replay needs --${flag}`,
      'run `parity replay --corpus FILE --baseline URL --candidate URL`, or `parity replay --config FILE`',
    )
  }
  // The one target policy, before the first connection: loopback unless --allow-remote.
  const { checkTarget } = await import('../systems/targets.js')
  for (const flag of ['baseline', 'baseline2', 'candidate'] as const)
    if (values[flag]) checkTarget(values[flag], { allowRemote: !!values['allow-remote'], what: 'replayed traffic' })
  const reset = values.reset
  const { runResetCommand } = await import('../run/systems.js')
  const inventory = values.inventory ? (await loadInventory(values.inventory)).inventory.items.filter(isEndpoint) : undefined
  const progress = createProgress('replaying', io.stderr, io.interactive)
  const run = await runReplay({
    corpus,
    baseline,
    candidate,
    ...(values.baseline2 ? { baseline2: values.baseline2 } : {}),
    ...(values.origin ? { origin: values.origin } : {}),
    ...(values['session-header'] ? { sessionHeader: values['session-header'] } : {}),
    ...(inventory ? { inventory } : {}),
    ...(values.twice ? { twice: true } : {}),
    ...(reset ? { reset: (target: 'baseline' | 'candidate') => runResetCommand(reset, process.cwd(), target) } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
    redact: redactFlags(values),
    onProgress: (done, total) => progress.update(done, total),
  })
  progress.done()
  emit(io, format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : renderReplay(run), values.out)
  return exitOf(run)
}

function exitOf(run: RunResult): number {
  // A candidate that fails where the baseline answers diverges (1). Exchanges that failed with nothing
  // diverging (the baseline down or hanging) are an error, never a clean replay: no comparison was made.
  if (run.routes?.some((r) => r.status === 'divergent' || r.status === 'missing' || r.status === 'consequence')) return 1
  // So is a corpus none of whose exchanges could be sent (their bodies not in it): nothing was compared.
  return run.diagnostics.some((d) => d.code === 'REPLAY_ERRORS' || (d.code === 'REPLAY_NOT_SENT' && d.level === 'error')) ? 2 : 0
}
