import { runStages, startConfigCommand } from './config-command.js'
import type { Command } from './command.js'
import { emit } from './output.js'

const HELP = `Usage: parity plan [--config FILE] [--rules FILE] [--format table|json] [--out FILE]

What to port next: every service (in a tree of several services) or component not fully ported,
ranked by priority (with a replay corpus: traffic share; else what the code shows: endpoints,
tables, capabilities; always dependents, the components that import its files or call its routes,
and the share still missing) then risk (lines, endpoints, tables, real-time, queues and external
integrations, baseline test coverage), each score with the factors and reasons behind it, an effort
estimate in person-days with its formula, and a target among the candidates' own languages (or
plan.targets) from the rule set; a partly migrated service is finished in its port's language.
Then what is left per candidate, and the packages without routes (a UI is kept in TypeScript, a
library goes with its users). With three or more systems, a matrix of which components each
system has and how much of them all share.

Options:
  --config FILE         the config (default: parity.config.* in this folder)
  --rules FILE          language rules (YAML or JSON) replacing the config's plan.rules and the defaults
  --format table|json   output (default table); json is a RunResult with \`plan\`
  --out FILE            write the output to FILE
  -h, --help            show this help
Weights: the config's plan.weights (traffic, fanIn, surface, data, uses, missing, lines, items,
routes, tables, realtime, capabilities, coverage).
`

export const planCommand: Command = async (argv, io) => {
  const start = await startConfigCommand('plan', argv, io, HELP, { rules: { type: 'string' } })
  if (!start) return 0
  const { values, format, config } = start
  const run = await runStages(config, ['plan'], io, values.rules ? { planRules: values.rules } : {})
  for (const d of run.diagnostics.filter((d) => d.code === 'PLAN_NO_TRAFFIC')) io.stderr(`warning: ${d.message}\n`)
  const { renderPlanTable } = await import('../report/plan-table.js')
  emit(io, format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : renderPlanTable(run), values.out)
  return 0
}
