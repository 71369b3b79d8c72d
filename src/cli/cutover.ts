import type { RouteEvidence } from '../model/exchange.js'
import { plural } from '../model/words.js'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { findConfig, loadConfig, type ResolvedConfig, type ResolvedSystem } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import { planCutover, routeOf } from '../cutover/routing.js'
import { RENDERERS } from '../cutover/render.js'
import { CUTOVER_FORMATS, type CutoverFormat } from '../cutover/types.js'
import { numberFlag, parseCommandArgs } from './args.js'
import type { Command } from './command.js'
import { emit } from './output.js'
import { createProgress } from './progress.js'

const CUTOVER_MARK: Record<RouteEvidence['status'], string> = { divergent: '≠', missing: '✗', consequence: '↳', verified: '✓', unproven: '?', unexercised: '·' }
const CUTOVER_WORDS: Record<RouteEvidence['status'], string> = {
  divergent: 'differs from the baseline alone',
  missing: 'not served through the gateway (404/405) where the baseline alone serves it',
  consequence: 'differs after a write the gateway answered differently (a likely consequence)',
  verified: 'same as the baseline alone',
  unproven: 'unproven (both answered alike, vacuously)',
  unexercised: 'not exercised',
}
import { readRun } from '../store/run-file.js'

const HELP = `Usage: parity cutover --format nginx|caddy|envoy|traefik [options]

Write a gateway config for a hybrid deployment from the last stored run: every route whose pair is
verified goes to the candidate, everything else to the baseline. Divergent, unverified and extra
routes go to the candidate only when the config forces them (\`cutover: { force: [{ match, reason }] }\`).
Routes are matched by their templates (a {param} is one path segment) and their method; each one
carries a comment saying why it goes where it goes. Re-run after more routes are verified.

Options:
  --canary N            send N% of each moved route's requests to the candidate, the rest to the baseline
  --run ID | --from RUN.json
                        the run to read (default: the latest run of the history store)
  --store FILE          the history store (default: from the config, else .parity/history.sqlite)
  --config FILE         the config (default: parity.config.* here): force rules, systems' urls, corpus
  --baseline-url URL    the baseline upstream (default: the baseline's \`url\` in the config)
  --candidate-url URL   the candidate upstream (default: the candidate's \`url\`)
  --candidate NAME      which candidate's statuses count (default: the run's first candidate)
  --port N              where the gateway listens (default 8080)
  --out FILE            write the config to FILE (default: stdout; with --check, the checked config)
  --check               nginx only: start the generated gateway for real in front of the systems (started
                        from their \`run\` blocks or reached at their urls), replay the corpus through it
                        and against the baseline alone; exit 1 when any route answers differently.
                        The two systems behind the gateway must share state as a real hybrid does:
                        \`cutover: { check: { env: { DATABASE: '{tmp}/hybrid.sqlite' } } }\` adds env to
                        both of them (not to the baseline alone), {tmp} = the check's temporary folder
  --corpus FILE         the corpus for --check (default: the config's replay.corpus)
  --verbose             --check: list every route, not only the ones that differ
The config is checked with the gateway's own validator when it is installed (nginx -t, caddy validate,
envoy --mode validate). Exit code 1 when --check finds a difference, 2 on error.
`

export const cutoverCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs('cutover', argv, {
    format: { type: 'string' },
    verbose: { type: 'boolean' },
    canary: { type: 'string' },
    config: { type: 'string' },
    run: { type: 'string' },
    from: { type: 'string' },
    store: { type: 'string' },
    'baseline-url': { type: 'string' },
    'candidate-url': { type: 'string' },
    candidate: { type: 'string' },
    port: { type: 'string' },
    out: { type: 'string' },
    check: { type: 'boolean' },
    corpus: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = values.format as string | undefined
  if (!format || !(CUTOVER_FORMATS as readonly string[]).includes(format)) {
    throw new ParityError('USAGE', format ? `--format ${format} is not a gateway` : 'cutover needs --format', `use --format ${CUTOVER_FORMATS.join('|')}`)
  }
  if (values.check && format !== 'nginx') throw new ParityError('USAGE', `--check runs nginx, not ${format}`, 'use --check with --format nginx')
  if (values.from && values.run)
    throw new ParityError('USAGE', '--from and --run cannot be used together', 'read a saved RunResult with --from, or a stored run with --run')
  const canary = numberFlag('canary', values.canary, { min: 0 })
  const port = numberFlag('port', values.port, { min: 1, integer: true })
  const configFile = (values.config as string | undefined) ?? findConfig(process.cwd())
  const config = configFile ? await loadConfig(configFile) : undefined
  const run = await readLastRun(values, config)
  const candidateName = (values.candidate as string | undefined) ?? run.systems.find((s) => s.role === 'candidate')?.name
  const common = {
    ...(candidateName ? { candidate: candidateName } : {}),
    ...(canary !== undefined ? { canary } : {}),
  }

  if (values.check) {
    const { runCutoverCheck } = await import('../cutover/check.js')
    const progress = createProgress('replaying through the gateway', io.stderr, io.interactive)
    const result = await runCutoverCheck({
      run,
      ...(config ? { config } : {}),
      ...common,
      ...(values['baseline-url'] ? { baselineUrl: values['baseline-url'] as string } : {}),
      ...(values['candidate-url'] ? { candidateUrl: values['candidate-url'] as string } : {}),
      ...(values.corpus ? { corpus: resolve(values.corpus as string) } : {}),
      onProgress: (done, total) => progress.update(done, total),
    })
    progress.done()
    const moved = result.plan.routes.filter((r) => r.to === 'candidate')
    const out = [
      `nginx ran at ${result.gateway}: ${plural(moved.length, 'route')} to ${result.plan.candidate.name}${result.plan.canary !== undefined ? ` (canary ${result.plan.canary}%)` : ''}, the rest to ${result.plan.baseline.name}`,
    ]
    // Every route with --verbose; else the ones that differ or prove nothing, and a count of the rest.
    const shown = values.verbose ? result.routes : result.routes.filter((r) => r.status !== 'verified')
    const same = result.routes.length - shown.length
    if (same) {
      const toCandidate = result.routes.filter(
        (r) => r.status === 'verified' && (routeOf(result.plan, r.method, r.path)?.to ?? 'baseline') === 'candidate',
      ).length
      out.push(
        `✓ ${plural(same, 'route')} answer as the baseline alone does (${toCandidate} through ${result.plan.candidate.name}, ${same - toCandidate} through ${result.plan.baseline.name}; --verbose lists them)`,
      )
    }
    for (const r of shown) {
      const to = routeOf(result.plan, r.method, r.path)?.to ?? 'baseline'
      out.push(`${CUTOVER_MARK[r.status]} ${`${r.method} ${r.path}`.padEnd(40)} via ${to.padEnd(9)} ${CUTOVER_WORDS[r.status]}`)
      for (const d of r.differences.slice(0, 3))
        out.push(
          `    ${d.where}${d.pointer ? ` ${d.pointer}` : ''}: ${d.kind}  baseline ${JSON.stringify(d.baseline)?.slice(0, 60)} · gateway ${JSON.stringify(d.candidate)?.slice(0, 60)}`,
        )
    }
    for (const u of result.plan.unexpressed) out.push(`· ${u.key}: ${u.reason}`)
    for (const n of result.notes) out.push(`note: ${n}`)
    out.push(
      result.differences.length
        ? `cutover check failed: ${plural(result.differences.length, 'route')} answer differently through the gateway than from the baseline alone`
        : `cutover check passed: the hybrid is indistinguishable from the baseline on ${plural(result.routes.length, 'exercised route')}`,
    )
    io.stdout(`${out.join('\n')}\n`)
    if (values.out) {
      // The checked routing, with the deployment's upstreams when known, else the addresses the check used (now stopped).
      const given = (flag: 'baseline-url' | 'candidate-url', system: ResolvedSystem | undefined, checked: string) =>
        values[flag] ?? system?.url ?? (system?.run?.port ? `http://127.0.0.1:${system.run.port}` : undefined) ?? checked
      const baselineUrl = given('baseline-url', config?.baseline, result.plan.baseline.url)
      const candidateUrl = given(
        'candidate-url',
        config?.candidates.find((s) => s.name === candidateName),
        result.plan.candidate.url,
      )
      const plan = {
        ...result.plan,
        baseline: { ...result.plan.baseline, url: baselineUrl, hostPort: new URL(baselineUrl).host },
        candidate: { ...result.plan.candidate, url: candidateUrl, hostPort: new URL(candidateUrl).host },
      }
      emit(io, RENDERERS.nginx(plan, port ? { port } : {}), values.out as string)
      if (baselineUrl === result.plan.baseline.url || candidateUrl === result.plan.candidate.url) {
        io.stderr(
          `the upstreams in ${values.out} are the instances the check started (now stopped): pass --baseline-url and --candidate-url for the deployment\n`,
        )
      }
    }
    return result.differences.length ? 1 : 0
  }

  const plan = planCutover(run, {
    ...common,
    baselineUrl: upstreamUrl(values['baseline-url'] as string | undefined, config?.baseline, '--baseline-url'),
    candidateUrl: upstreamUrl(
      values['candidate-url'] as string | undefined,
      config?.candidates.find((s) => s.name === candidateName),
      '--candidate-url',
    ),
    ...(config?.cutover ? { force: config.cutover.force } : {}),
  })
  const text = RENDERERS[format as CutoverFormat](plan, port ? { port } : {})
  emit(io, text, values.out as string | undefined)
  // The gateway's own validator, when installed, on exactly what was written.
  const { validateConfig } = await import('../cutover/gateway.js')
  const work = mkdtempSync(join(tmpdir(), 'parity-cutover-'))
  try {
    const file = values.out ? resolve(values.out as string) : join(work, `gateway.${format === 'caddy' ? 'Caddyfile' : format === 'nginx' ? 'conf' : 'yaml'}`)
    if (!values.out) writeFileSync(file, text)
    const v = validateConfig(format as CutoverFormat, file, work)
    if (v.ok === false)
      throw new ParityError(
        'GATEWAY_INVALID',
        `\`${v.command}\` refused the generated config:\n${v.message}`,
        'this is a bug in parity cutover; report it with the config',
      )
    io.stderr(v.ok ? `${v.command?.split(' ')[0]} accepts the config\n` : `${v.message}\n`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  const moved = plan.routes.filter((r) => r.to === 'candidate').length
  io.stderr(
    `${plural(moved, 'route')} to ${plan.candidate.name}, ${plan.routes.length - moved} on ${plan.baseline.name}${plan.unexpressed.length ? `, ${plan.unexpressed.length} the gateway cannot express (left on the baseline)` : ''}\n`,
  )
  return 0
}

/** --flag, else the system's url, else its fixed run port; none is a usage error. */
function upstreamUrl(given: string | undefined, system: ResolvedSystem | undefined, flag: string): string {
  if (given) return given
  if (system?.url) return system.url
  if (system?.run?.port) return `http://127.0.0.1:${system.run.port}`
  throw new ParityError(
    'USAGE',
    `cutover needs the ${flag === '--baseline-url' ? 'baseline' : 'candidate'}'s address for the upstream`,
    `pass ${flag} http://host:port, or give the system a \`url\` in the config`,
  )
}

async function readLastRun(values: Record<string, unknown>, config: ResolvedConfig | undefined): Promise<RunResult> {
  if (values.from) return readRun(values.from as string)
  const storeFile = values.store ? resolve(values.store as string) : (config?.historyFile ?? resolve('.parity/history.sqlite'))
  if (!existsSync(storeFile)) throw new ParityError('NO_RUN', `no stored run: ${storeFile} does not exist`, 'run `parity run` first, or pass --from RUN.json')
  const { openHistory } = await import('../store/history.js')
  const store = openHistory(storeFile)
  try {
    const run = values.run ? store.get(values.run as string) : store.latest()
    if (!run)
      throw new ParityError(
        values.run ? 'RUN_NOT_FOUND' : 'NO_RUN',
        values.run ? `no run ${values.run} in ${storeFile}` : `no stored run in ${storeFile}`,
        values.run ? 'list the stored runs with `parity history`' : 'run `parity run` first, or pass --from RUN.json',
      )
    return run
  } finally {
    store.close()
  }
}
