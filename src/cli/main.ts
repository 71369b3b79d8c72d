/**
 * The `parity` command line: parses the command name, loads only that command's module, and
 * turns errors into a message, a hint and an exit code (0 clean, 1 gate failed, 2 error).
 */
import { closest } from './suggest.js'
import type { Command, CommandIo } from './command.js'
import { styleFor } from './style.js'
import { isParityError } from '../model/errors.js'
import { parityVersion } from '../model/version.js'

export type { Command, CommandIo } from './command.js'

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  scan: {
    summary: 'inventory a source tree or OpenAPI document: endpoints, services, capabilities, tables',
    load: async () => (await import('./scan.js')).scanCommand,
  },
  diff: {
    summary: 'pair a baseline with its candidates item by item and say what each one lacks',
    load: async () => (await import('./diff.js')).diffCommand,
  },
  run: {
    summary: 'run the stages the config enables, store the run, write the reports, check the gates',
    load: async () => (await import('./run.js')).runCommand,
  },
  report: {
    summary: 'render a stored run: md (vault), html, json, junit, github',
    load: async () => (await import('./report.js')).reportCommand,
  },
  history: {
    summary: 'the trend over stored runs, and when each item was first ported',
    load: async () => (await import('./history.js')).historyCommand,
  },
  replay: {
    summary: 'replay recorded traffic against the baseline and the candidate and diff every answer',
    load: async () => (await import('./replay.js')).replayCommand,
  },
  record: {
    summary: 'a recording reverse proxy in front of the baseline: traffic to a redacted corpus',
    load: async () => (await import('./record.js')).recordCommand,
  },
  shadow: {
    summary: 'answer clients from the baseline, mirror sampled copies to the candidate and diff them',
    load: async () => (await import('./record.js')).shadowCommand,
  },
  e2e: {
    summary: 'run the old end-to-end suite against the baseline and the candidate, per test',
    load: async () => (await import('./e2e.js')).e2eCommand,
  },
  bench: {
    summary: 'benchmark the baseline and the candidate side by side: cold start, req/s, latency, memory, CPU',
    load: async () => (await import('./bench.js')).benchCommand,
  },
  plan: {
    summary: 'what to port next: components ranked by priority and risk, effort, target language',
    load: async () => (await import('./plan.js')).planCommand,
  },
  features: {
    summary: 'feature checklists per candidate (verified, complete, partial, missing), and proposed features',
    load: async () => (await import('./features.js')).featuresCommand,
  },
  mcp: {
    summary: 'compare two MCP servers: tools, schemas, scripted call results',
    load: async () => (await import('./mcp.js')).mcpCommand,
  },
  serve: {
    summary: 'the dashboard on 127.0.0.1: overview, matrix, diffs, bench, trend, live progress of a run',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  scorecard: {
    summary: 'quality figures per system from coverage, audit, OpenAPI and bundle artifacts',
    load: async () => (await import('./scorecard.js')).scorecardCommand,
  },
  status: {
    summary: 'what runs now: each system and service up or down, response time, version, process on its port',
    load: async () => (await import('./status.js')).statusCommand,
  },
  cutover: {
    summary: 'a gateway config (nginx, caddy, envoy, traefik) sending only verified routes to the candidate; --check proves it',
    load: async () => (await import('./cutover.js')).cutoverCommand,
  },
  init: {
    summary: 'write a starter parity.config.yaml by looking at the tree',
    load: async () => (await import('./init.js')).initCommand,
  },
}

const HELP = `parity: prove a rewrite is a drop-in replacement

Usage: parity <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}

Options:
  -h, --help     show help (also: parity <command> --help)
  -v, --version  show the version
`

let epipeGuarded = false

/** `parity report | head`: the reader went away; stop quietly, without a stack trace. */
function quietOnEpipe(): void {
  if (epipeGuarded) return
  epipeGuarded = true
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0)
      throw e
    })
  }
}

export async function main(argv: string[]): Promise<number> {
  const io: CommandIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive: !!process.stderr.isTTY && !process.env.CI,
    style: styleFor(process.stdout),
    stdoutTTY: !!process.stdout.isTTY,
    errStyle: styleFor(process.stderr),
  }
  quietOnEpipe()
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(HELP)
    return 0
  }
  if (name === '-v' || name === '--version') {
    io.stdout(`${parityVersion()}\n`)
    return 0
  }
  const command = commands[name]
  if (!command) {
    const meant = closest(name, Object.keys(commands))
    io.stderr(`error: unknown command \`${name}\`${meant ? `; did you mean \`parity ${meant}\`?` : ''}\n  hint: run \`parity --help\` to list the commands\n`)
    return 2
  }
  // A promise that never settles (a config's top-level `await` on nothing) lets Node run out of work
  // and exit 0 without a word: say so, and exit 2.
  let settled = false
  const unfinished = () => {
    if (settled) return
    io.stderr(
      `error: \`parity ${name}\` stopped before it finished: it waited on something that never settles (a config whose top-level \`await\` never resolves?)\n  hint: run the config with \`node --import tsx parity.config.ts\` to see where it waits\n`,
    )
    process.exitCode = 2
  }
  process.once('beforeExit', unfinished)
  try {
    return await (await command.load())(rest, io)
  } catch (e) {
    if (isParityError(e)) {
      io.stderr(`error: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`)
      return e.exitCode
    }
    const err = e as Error
    io.stderr(`internal error: ${err?.message ?? String(e)}\n  hint: this is a bug in parity; rerun with PARITY_DEBUG=1 for the stack and report it\n`)
    if (process.env.PARITY_DEBUG) io.stderr(`${err?.stack ?? ''}\n`)
    return 2
  } finally {
    settled = true
    process.removeListener('beforeExit', unfinished)
  }
}
