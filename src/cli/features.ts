import { runStages, startConfigCommand } from './config-command.js'
import type { Command } from './command.js'
import { emit } from './output.js'

const HELP = `Usage: parity features [--config FILE] [--propose] [--format table|json] [--out FILE]

The config's features as a checklist: each feature (its items are key patterns like the exclude
rules', \`capability <id>\` or \`table <name>\`) gets a status per candidate: verified (every
route verified, the rest present), complete (every item present), partial (with what is missing)
or missing. A pattern that matches nothing is a warning. Statically, routes are at best complete:
\`parity run\` with a replay corpus makes them verified.

Options:
  --config FILE         the config (default: parity.config.* in this folder)
  --propose             also propose features from routes sharing a prefix and handler file and
                        from capabilities with their call sites, printed as YAML for the config
                        (always done when the config has no features)
  --format table|json   output (default table); json is a RunResult with \`features\` and
                        \`featureProposals\`
  --out FILE            write the output to FILE
  -h, --help            show this help
`

export const featuresCommand: Command = async (argv, io) => {
  const start = await startConfigCommand('features', argv, io, HELP, { propose: { type: 'boolean' } })
  if (!start) return 0
  const { values, format, config } = start
  const run = await runStages(config, ['features'], io, { proposeFeatures: !!values.propose })
  if (format === 'json') {
    for (const d of run.diagnostics.filter((d) => d.code === 'FEATURE_UNMATCHED')) io.stderr(`warning: ${d.message}\n`)
    emit(io, `${JSON.stringify(run, null, 2)}\n`, values.out)
  } else {
    const { renderFeaturesTable } = await import('../report/features-table.js')
    emit(io, renderFeaturesTable(run), values.out)
  }
  return 0
}
