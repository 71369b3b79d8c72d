import { ParityError } from '../model/errors.js'
import { candidatePassRate, classifyE2eTest, runE2e, type E2eResult, type E2eTarget, type RunInfo } from '../verify/e2e.js'
import { parseCommandArgs, secondsFlag, tableOrJson } from './args.js'
import type { Command } from './command.js'

const HELP = `Usage: parity e2e --baseline URL --candidate URL [options] -- CMD...
       parity e2e --baseline-command "CMD" --candidate-command "CMD" [options] -- CMD...   (MCP over stdio)

Run the old end-to-end suite twice, its base URL variable pointing at the baseline and then at the
candidate, and report per test: passes on both, fails only on the candidate (a regression), fails
on both. Results are read from the JUnit file (--junit), else TAP in the output, else a closing
summary line (\`N passed, N failed\`, vitest, jest, mocha, pytest, cargo, node:test), else the exit code.

MCP servers: with --baseline-command and --candidate-command the suite is given the command that
starts each server over stdio (in MCP_SERVER_COMMAND) and spawns it itself, as MCP clients do; with
--mcp, or ws:// URLs, the URLs are MCP servers over Streamable HTTP or WebSocket (in MCP_SERVER_URL).

Options:
  --baseline URL        the baseline's base URL
  --candidate URL       the candidate's base URL
  --baseline-command C  the command that starts the baseline MCP server over stdio (run by the suite through a shell)
  --candidate-command C the command that starts the candidate MCP server over stdio
  --mcp                 the URLs are MCP endpoints (Streamable HTTP; ws:// URLs are WebSocket)
  --env NAME            the environment variable that carries the base URL (default: BASE_URL;
                        MCP_SERVER_COMMAND with the commands, MCP_SERVER_URL with --mcp)
  --junit FILE          the JUnit XML file the suite writes (removed before each run, read after)
  --timeout S           seconds per run (default: 600); the suite and its children are then killed
  --format table|json   output format (default: table)
  -h, --help            show this help

Exit codes: 0 no regression, 1 a test passing on the baseline fails or is missing on the candidate,
2 usage or runtime error (such as a command that does not exist).
`

export const e2eCommand: Command = async (argv, io) => {
  // Everything after `--` is the suite's command, flags included.
  const dashes = argv.indexOf('--')
  const own = dashes < 0 ? argv : argv.slice(0, dashes)
  const { values, positionals } = parseCommandArgs('e2e', own, {
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    'baseline-command': { type: 'string' },
    'candidate-command': { type: 'string' },
    mcp: { type: 'boolean' },
    env: { type: 'string' },
    junit: { type: 'string' },
    timeout: { type: 'string' },
    format: { type: 'string', default: 'table' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = tableOrJson('e2e', values.format)
  const { target, baseline, candidate } = targetsOf(values)
  const command = dashes < 0 ? positionals : [...positionals, ...argv.slice(dashes + 1)]
  if (!command.length) {
    throw new ParityError('USAGE', 'e2e needs the suite command', 'put it after `--`: parity e2e --baseline URL --candidate URL -- npm test')
  }
  const seconds = secondsFlag('timeout', values.timeout)
  const timeoutMs = seconds === undefined ? undefined : seconds * 1000
  const result = await runE2e({
    command,
    baseline,
    candidate,
    target,
    ...(values.env ? { envName: values.env } : {}),
    ...(values.junit ? { junit: values.junit } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
  })
  io.stdout(format === 'json' ? `${JSON.stringify(e2eJson(result), null, 2)}\n` : renderE2eTable(result))
  const failing = result.tests.some((t) => {
    const outcome = classifyE2eTest(t)
    return outcome === 'regression' || outcome === 'missing'
  })
  return failing ? 1 : 0
}

/** HTTP base URLs, MCP server commands (stdio) or MCP URLs: one kind for both sides. */
function targetsOf(values: {
  baseline?: string | undefined
  candidate?: string | undefined
  'baseline-command'?: string | undefined
  'candidate-command'?: string | undefined
  mcp?: boolean | undefined
}): { target: E2eTarget; baseline: string; candidate: string } {
  const commands = values['baseline-command'] !== undefined || values['candidate-command'] !== undefined
  if (commands) {
    if (values.baseline !== undefined || values.candidate !== undefined)
      throw new ParityError(
        'USAGE',
        'e2e: give both sides as commands or both as URLs',
        '--baseline-command "CMD" --candidate-command "CMD" for stdio MCP servers, --baseline URL --candidate URL otherwise',
      )
    const baseline = values['baseline-command']
    const candidate = values['candidate-command']
    if (!baseline || !candidate)
      throw new ParityError(
        'USAGE',
        `e2e needs ${!baseline ? '--baseline-command' : '--candidate-command'}`,
        'run `parity e2e --baseline-command "node old.js" --candidate-command "./new-server" -- CMD...`',
      )
    return { target: 'mcp-command', baseline, candidate }
  }
  const { baseline, candidate } = values
  if (!baseline || !candidate) {
    throw new ParityError('USAGE', `e2e needs ${!baseline ? '--baseline' : '--candidate'}`, 'run `parity e2e --baseline URL --candidate URL -- CMD...`')
  }
  const ws = [baseline, candidate].some((u) => /^wss?:/i.test(u))
  return { target: values.mcp || ws ? 'mcp-url' : 'url', baseline, candidate }
}

/** The JSON contract of `parity e2e --format json`. */
export function e2eJson(result: E2eResult) {
  return {
    tests: result.tests.map(({ name, baseline, candidate }) => ({ name, baseline, candidate })),
    baseline: result.baseline,
    candidate: result.candidate,
    candidatePassRate: candidatePassRate(result.tests),
  }
}

const MARKS: Record<ReturnType<typeof classifyE2eTest>, string> = {
  'pass-both': '',
  regression: 'REGRESSION',
  missing: 'MISSING on candidate',
  fixed: 'fixed',
  'fail-both': 'fails on both',
  skipped: 'skipped',
  new: 'only on candidate',
}

export function renderE2eTable(result: E2eResult): string {
  const rows = result.tests.map((t) => [t.name, t.baseline, t.candidate, MARKS[classifyE2eTest(t)]])
  const header = ['test', 'baseline', 'candidate', '']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  const outcomes = result.tests.map(classifyE2eTest)
  const n = (o: string) => outcomes.filter((x) => x === o).length
  const ran = result.tests.filter((t) => t.candidate !== 'skip').length
  const passed = result.tests.filter((t) => t.candidate === 'pass').length
  const out = [line(header), ...rows.map(line), '']
  out.push(runLine('baseline', result.baseline), runLine('candidate', result.candidate))
  out.push(
    `candidate pass rate: ${(candidatePassRate(result.tests) * 100).toFixed(1)}% (${passed}/${ran}); ` +
      `${n('regression')} regression${n('regression') === 1 ? '' : 's'}, ${n('missing')} missing, ${n('fail-both')} failing on both, ${n('fixed')} fixed`,
  )
  for (const [side, info] of [
    ['baseline', result.baseline],
    ['candidate', result.candidate],
  ] as const) {
    if (info.timedOut || info.source === 'exit-code') {
      const lines = info.output.split('\n').slice(-10).join('\n    ')
      if (lines) out.push(`last output of the ${side} run:\n    ${lines}`)
    }
  }
  return `${out.join('\n')}\n`
}

function runLine(side: string, info: RunInfo): string {
  const end = info.timedOut ? `killed after the timeout` : `exit code ${info.exitCode ?? 'none (signal)'}`
  const note = info.note ? `; ${info.note}` : ''
  return `${side.padEnd(9)}  ${info.passed} passed, ${info.failed} failed, ${info.skipped} skipped (read from ${info.source}; ${end}; ${(info.durationMs / 1000).toFixed(1)} s${note})`
}
