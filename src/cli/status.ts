import { existsSync } from 'node:fs'
import { requireConfig, type ResolvedConfig } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'
import type { StatusSnapshot } from '../model/status.js'
import { numberFlag, parseCommandArgs, secondsFlag, tableOrJson } from './args.js'
import type { Command } from './command.js'

const HELP = `Usage: parity status [--config FILE] [--watch [SECONDS]] [--count N] [--format table|json]

What runs right now: every configured system (its url, or its run.port; a system parity starts on
a free port is "not running (started by parity on demand)"), every service the scan found with a
port, and the MCP servers (listed, not probed). For each: up or down by its readiness check (the
run.ready http path, else GET /, 2 s timeout; a TCP connection when it does not speak HTTP), the
time that check took, the version it reports (an x-version header or a JSON "version" in the
answer, GET /version, GET /health, else the server header) and which process holds the port.
Services come from the last stored run (\`parity run\`), else from a scan.

Options:
  --config FILE         the config (default: parity.config.* in this folder)
  --watch [SECONDS]     check again every SECONDS (default 2): in place on a terminal until Ctrl-C,
                        else one table per round (then --count is required)
  --count N             stop after N rounds
  --format table|json   output (default table); json: {checkedAt, entries}, one line per round with --watch
  -h, --help            show this help
`

/** `--watch` takes an optional value: give it the default when the next word is not a number. */
function withWatchValue(argv: string[]): string[] {
  const out: string[] = []
  argv.forEach((a, i) => {
    const next = argv[i + 1]
    out.push(a === '--watch' && (next === undefined || next.startsWith('-') || Number.isNaN(Number(next))) ? '--watch=2' : a)
  })
  return out
}

/** The inventory whose services are checked: the last stored run, else a scan. */
async function inventoryRun(config: ResolvedConfig): Promise<RunResult> {
  if (existsSync(config.historyFile)) {
    const { openHistory } = await import('../store/history.js')
    const store = openHistory(config.historyFile)
    try {
      const latest = store.latest()
      if (latest) return latest
    } finally {
      store.close()
    }
  }
  const { diffConfig } = await import('../match/diff-run.js')
  return diffConfig(config)
}

export const statusCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs('status', withWatchValue(argv), {
    config: { type: 'string' },
    watch: { type: 'string' },
    count: { type: 'string' },
    format: { type: 'string', default: 'table' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = tableOrJson('status', values.format)
  if (positionals.length)
    throw new ParityError('USAGE', `status: unexpected argument ${positionals[0]}`, 'the systems come from the config: pass --config FILE')
  const interval = secondsFlag('watch', values.watch)
  const count = numberFlag('count', values.count, { integer: true })
  const tty = !!process.stdout.isTTY && format === 'table'
  if (interval !== undefined && count === undefined && !tty) {
    throw new ParityError('USAGE', 'status: --watch without a terminal would never stop', 'add --count N to stop after N rounds')
  }
  const config = await requireConfig('status', values.config)
  const run = await inventoryRun(config)
  const { checkStatus } = await import('../status/status.js')
  const { renderStatusTable } = await import('../report/status-table.js')
  const check = async (): Promise<StatusSnapshot> => {
    const checkedAt = new Date().toISOString()
    return { checkedAt, entries: await checkStatus(config, run) }
  }

  if (interval === undefined) {
    const snapshot = await check()
    io.stdout(format === 'json' ? `${JSON.stringify(snapshot, null, 2)}\n` : renderStatusTable(snapshot.entries))
    return 0
  }

  // Ctrl-C ends the watch cleanly (exit 0) instead of killing the process mid-draw.
  let stopped = false
  let wake: (() => void) | undefined
  const onInterrupt = () => {
    stopped = true
    wake?.()
  }
  process.once('SIGINT', onInterrupt)
  try {
    for (let round = 1; !stopped && (count === undefined || round <= count); round++) {
      const snapshot = await check()
      if (stopped) break
      if (format === 'json') io.stdout(`${JSON.stringify(snapshot)}\n`)
      else {
        const title = `parity status · ${snapshot.checkedAt.slice(11, 19)} UTC · round ${round}${count ? ` of ${count}` : ''} · every ${interval} s${tty ? ', Ctrl-C to stop' : ''}\n\n`
        // On a terminal: cursor home, clear the screen, draw; elsewhere one block per round.
        io.stdout(
          tty ? `\x1b[H\x1b[2J${title}${renderStatusTable(snapshot.entries)}` : `${round > 1 ? '\n' : ''}${title}${renderStatusTable(snapshot.entries)}`,
        )
      }
      if (count !== undefined && round >= count) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval * 1000)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt)
  }
  return 0
}
