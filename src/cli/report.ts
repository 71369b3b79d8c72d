import { existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { findConfig, loadConfig } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import type { History } from '../model/history.js'
import type { RunResult } from '../model/run.js'
import { readRun } from '../store/run-file.js'
import { checkWritable, isReportFormat, REPORT_FORMATS, writeReport } from '../report/reporters.js'
import { parseCommandArgs } from './args.js'
import type { Command } from './command.js'

const HELP = `Usage: parity report [--from RUN.json | --run ID] --format md|html|json|junit|github [--out PATH]

Render a stored run: by default the latest run of the history store; --from reads a RunResult saved
as JSON; --run picks a stored run by id (\`parity history\` lists them).

Options:
  --format F      md (a vault: --out FOLDER), html, json, junit, github (step summary and annotations)
  --out PATH      where to write (default: stdout; html on a terminal: report.html beside the
                  history store, .parity/report.html; for github, $GITHUB_STEP_SUMMARY when set)
  --store FILE    the history store (default: from the config, else .parity/history.sqlite)
  -h, --help      show this help
`

export const reportCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs('report', argv, {
    from: { type: 'string' },
    run: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    store: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = values.format
  if (!format || !isReportFormat(format)) {
    throw new ParityError('USAGE', format ? `--format ${format} is not a report format` : 'report needs --format', `use --format ${REPORT_FORMATS.join('|')}`)
  }
  if (values.from && values.run)
    throw new ParityError('USAGE', '--from and --run cannot be used together', 'read a saved RunResult with --from, or a stored run with --run')
  const configFile = findConfig(process.cwd())
  const storeFile = values.store ? resolve(values.store) : configFile ? (await loadConfig(configFile)).historyFile : resolve('.parity/history.sqlite')
  // A page of HTML is no terminal reading: on a terminal it goes to a file, whose path is printed.
  const toFile = !values.out && format === 'html' && !!io.stdoutTTY
  const out = values.out ? resolve(values.out) : toFile ? join(dirname(storeFile), 'report.html') : undefined
  if (out) checkWritable(format, out)
  let run: RunResult | undefined
  let history: History | undefined
  if (values.from) run = readRun(values.from)
  if (existsSync(storeFile)) {
    const { openHistory } = await import('../store/history.js')
    const store = openHistory(storeFile)
    try {
      if (!run) run = values.run ? store.get(values.run) : store.latest()
      history = store.history()
    } finally {
      store.close()
    }
    if (!run && values.run) throw new ParityError('RUN_NOT_FOUND', `no run ${values.run} in ${storeFile}`, 'list the stored runs with `parity history`')
  }
  if (!run) throw new ParityError('NO_RUN', `no stored run: ${storeFile} does not exist or is empty`, 'run `parity run` first, or pass --from RUN.json')
  const result = await writeReport(format, run, history, out, {
    ...(process.env.GITHUB_STEP_SUMMARY ? { githubStepSummary: process.env.GITHUB_STEP_SUMMARY } : {}),
    sourceRoot: configFile ? dirname(configFile) : process.cwd(),
  })
  if (result.stdout) io.stdout(result.stdout)
  for (const w of result.written) io.stderr(`wrote ${w}\n`)
  if (toFile && out) {
    const shown = relative(process.cwd(), out) || out
    io.stdout(
      `The HTML report is in ${shown}: open it in a browser (\`xdg-open ${shown}\`, \`open ${shown}\` on macOS), or see the runs live with \`parity serve\`.\n`,
    )
  }
  return 0
}
