import { relative } from 'node:path'
import { ParityError } from '../model/errors.js'
import { renderScorecardTable } from '../report/scorecard-table.js'
import { runStages, startConfigCommand } from './config-command.js'
import type { Command } from './command.js'
import { emit } from './output.js'

const HELP = `Usage: parity scorecard [options]

Quality figures per system, read from the artifacts each team already produces, as the config's
\`scorecard\` block of each system names them: test coverage (lcov, Cobertura XML, Istanbul JSON),
TypeScript type coverage (computed with the compiler API), vulnerabilities (npm audit, cargo audit,
govulncheck, pip-audit JSON), API documentation (routes described by the OpenAPI document) and the
bundle size of a built front end (raw and gzip). A missing or malformed artifact is named with a
hint; the other figures still show.

Options:
  --config FILE         the config (default: parity.config.* in this folder)
  --format table|json   output (default table); json is the RunResult with \`scorecards\`
  --out FILE            write the output to FILE
  -h, --help            show this help
Exit code 0 (problems with artifacts are reported, not failed on), 2 on error.
`

export const scorecardCommand: Command = async (argv, io) => {
  // The diff gives the routes that API documentation coverage counts.
  const start = await startConfigCommand('scorecard', argv, io, HELP, {})
  if (!start) return 0
  const { values, format, config } = start
  if (![config.baseline, ...config.candidates].some((s) => s.scorecard)) {
    throw new ParityError(
      'NO_SCORECARD',
      `no system in ${relative(process.cwd(), config.file)} has a \`scorecard\` block`,
      'add `scorecard: { coverage: coverage/lcov.info }` (or typeCoverage, audit, openapi, bundle) to a system',
    )
  }
  const run = await runStages(config, ['scorecard'], io)
  emit(io, format === 'json' ? `${JSON.stringify(run, null, 2)}\n` : renderScorecardTable(run), values.out)
  return 0
}
