import { dirname, relative } from 'node:path'
import { assess } from '../assess/gates.js'
import { requireConfig } from '../config/load.js'
import type { History } from '../model/history.js'
import type { RunResult } from '../model/run.js'
import { renderDiffTable } from '../report/diff-table.js'
import { checkWritable, writeReport, type ReportFormat } from '../report/reporters.js'
import { parseCommandArgs } from './args.js'
import type { Command } from './command.js'
import { stageLine } from './stage-line.js'
import { PLAIN } from '../report/style.js'
import { duration } from '../model/words.js'

const HELP = `Usage: parity run [--config FILE] [--verbose] [--json] [--no-history]

Run the stages the config enables: scan and diff every system; replay the corpus, run the old
end-to-end suite and benchmark, against systems parity starts (their \`run\` blocks; stopped with
their process trees afterwards) or reaches (\`url\`); assess the gates against the previous run, store
the run in the history, and write the reports the config names (reports: md, html, junit, json). In GitHub Actions the step summary and
annotations are written too. Exit code 1 when a gate fails, 2 on error, 0 otherwise.

It prints the verdict and the gates first, a line of figures per candidate, the components and
the warnings; \`--verbose\` adds every item with its evidence, the bench tables, the scorecard,
features and plan (all of it is in the HTML report too).

Options:
  --config FILE   the config (default: parity.config.* in this folder)
  --verbose       every item, table and diagnostic after the summary
  --json          print the gate results, verdict and findings as JSON instead of the table
  --no-history    do not store this run (gates then compare with the last stored run)
  -h, --help      show this help
`

export const runCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs('run', argv, {
    config: { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    'no-history': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const config = await requireConfig('run', values.config)
  const reports = Object.entries(config.reports) as Array<[ReportFormat, string]>
  for (const [format, out] of reports) checkWritable(format, out)
  const { openHistory } = await import('../store/history.js')
  const store = openHistory(config.historyFile)
  const { liveWriter } = await import('../dashboard/live.js')
  const live = liveWriter(config.historyFile)
  const line = stageLine(io, io.errStyle ?? PLAIN)
  const started = Date.now()
  try {
    const { runPipeline } = await import('../run/pipeline.js')
    let benchLabel = ''
    const run: RunResult = await runPipeline({
      config,
      events: {
        onStage: (_id, title) => {
          live.stage(title)
          line.stage(title)
        },
        onSystem: (name) => line.detail(name),
        onProgress: (done, total, unit) => {
          line.progress(done, total, unit)
          live.progress(done, total, unit)
        },
        onBenchEvent: (e) => {
          if (e.type === 'startup') line.detail(`cold starts of ${e.side}`)
          else if (e.type === 'trial') line.detail((benchLabel = `${e.side} · ${e.scenario} · trial ${e.trial + 1}/${e.trials}`))
          else if (e.type === 'progress') line.detail(`${benchLabel}  ${Math.round(e.progress.rps)} req/s`)
        },
      },
    })
    const previous = store.latest()
    run.assessment = assess(run, config.gates, config.accepted, previous, config.objectives)
    for (const stale of run.assessment.verdict.staleAcceptances) {
      run.diagnostics.push({
        level: 'warn',
        code: 'STALE_ACCEPTANCE',
        message: `accepted difference ${stale} matches no finding any more: remove it from \`accepted\``,
      })
    }
    if (!values['no-history']) run.id = store.append(run)
    const history: History = store.history()
    live.stage('reports')
    line.stage('reports')
    const written: string[] = []
    for (const [format, out] of reports) written.push(...(await writeReport(format, run, history, out, { sourceRoot: dirname(config.file) })).written)
    let annotations = ''
    if (process.env.GITHUB_STEP_SUMMARY) {
      const gh = await writeReport('github', run, history, undefined, { githubStepSummary: process.env.GITHUB_STEP_SUMMARY })
      annotations = gh.stdout
    }
    line.end()
    const { gates, verdict, findings } = run.assessment
    if (values.json) {
      io.stdout(`${JSON.stringify({ id: run.id ?? null, gates, verdict, findings }, null, 2)}\n`)
    } else {
      const style = io.style ?? PLAIN
      const { renderBasis, renderCaveat, renderComponents, renderDiagnostics, renderHeadlines, renderVerdict } = await import('../report/run-summary.js')
      const baseline = run.systems.find((s) => s.role === 'baseline')
      const candidates = run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
      const peers = run.systems.filter((s) => s.role === 'peer').map((s) => s.name)
      const out: string[] = [
        style.bold(
          `parity run · ${baseline?.name ?? '?'} → ${candidates.join(', ')}${peers.length ? `; ${peers.length > 1 ? 'peers' : 'peer'} ${peers.join(', ')}` : ''}`,
        ) + style.dim(`  (${duration(Date.now() - started)})`),
        '',
      ]
      // What the figures rest on, when it is partial, before any of them; then the verdict.
      const caveat = renderCaveat(run, style)
      if (caveat) out.push(caveat)
      out.push(renderVerdict(run, style), renderHeadlines(run, style), renderComponents(run, style), renderBasis(run, style))
      const diagnostics = renderDiagnostics(run.diagnostics, style, !!values.verbose)
      if (diagnostics) out.push(diagnostics)
      const at = (p: string) => relative(process.cwd(), p) || p
      const stored = run.id ? `Stored as run ${run.id} in ${at(config.historyFile)}` : 'Not stored (--no-history)'
      out.push(
        `${[
          written.length
            ? `Reports: ${written.map(at).join(' · ')}`
            : `Reports: none configured; add \`reports: { html: .parity/report.html }\` to ${at(config.file)} for one`,
          stored,
          ...(values.verbose
            ? []
            : [style.dim('Every item with its evidence, the bench, scorecard, features and plan: parity run --verbose, or the HTML report')]),
        ].join('\n')}\n`,
      )
      io.stdout(out.join('\n'))
      if (values.verbose) {
        io.stdout(`\n${renderDiffTable(run)}`)
        if (run.tests?.length) io.stdout((await import('../report/run-summary.js')).renderE2eSuite(run))
        if (run.tools?.length || run.mcpBench?.length) io.stdout(`\n${(await import('../report/mcp-table.js')).renderMcpTable(run)}`)
        if (run.bench?.length) io.stdout(`\nBench\n${(await import('../report/bench-table.js')).renderBenchTable(run, { gates: false })}`)
        if (run.scorecards?.length) io.stdout(`\n${(await import('../report/scorecard-table.js')).renderScorecardTable(run)}`)
        if (run.features?.length) io.stdout(`\nFeatures\n\n${(await import('../report/features-table.js')).renderFeaturesTable(run)}`)
        if (run.plan?.entries.length) io.stdout(`\nPlan: what to port next\n\n${(await import('../report/plan-table.js')).renderPlanTable(run)}`)
      }
    }
    if (annotations) io.stdout(annotations)
    return verdict.failed.length ? 1 : 0
  } finally {
    line.end()
    live.end()
    store.close()
  }
}
