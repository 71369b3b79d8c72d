import { spawn } from 'node:child_process'
import { relative, resolve } from 'node:path'
import { findConfig, loadConfig } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import { numberFlag, parseCommandArgs } from './args.js'
import type { Command } from './command.js'

const HELP = `Usage: parity serve [--port N] [--host H] [--config FILE | --history FILE] [--open]

The dashboard: overview, coverage matrix, behaviour diffs, performance, trend, on a local web page
that reads the history store and follows a \`parity run\` in progress. From the page, a divergent
route can be accepted into the config's \`accepted:\` ledger (with a reason). Ctrl-C stops it.

Options:
  --port N        the port (default 4177; 0 picks a free one)
  --host H        the address to listen on (default 127.0.0.1); anything else exposes the
                  dashboard, which has no authentication, to the network
  --config FILE   the config whose history is shown (default: parity.config.* in this folder)
  --history FILE  a history store to show without a config (accepting is then off)
  --open          open the dashboard in the browser
  -h, --help      show this help
`

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]]
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true })
    child.on('error', () => {})
    child.unref()
  } catch {
    // no browser opener: the URL is printed anyway
  }
}

export const serveCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs('serve', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    config: { type: 'string' },
    history: { type: 'string' },
    open: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const port = numberFlag('port', values.port, { min: 0, integer: true }) ?? 4177
  if (port > 65535) throw new ParityError('USAGE', `--port ${port} is not a port`, 'give --port a number from 0 to 65535')
  if (values.config && values.history)
    throw new ParityError('USAGE', '--config and --history both given', 'pass one: the config (its history is shown) or a history file')
  let historyFile: string
  let configFile: string | undefined
  if (values.history) historyFile = resolve(values.history)
  else {
    const file = values.config ?? findConfig(process.cwd())
    if (!file)
      throw new ParityError(
        'NO_CONFIG',
        'parity serve needs a config or a history file: no parity.config.* here',
        'pass --config FILE, or --history .parity/history.sqlite',
      )
    const config = await loadConfig(file)
    configFile = config.file
    historyFile = config.historyFile
  }
  const host = values.host ?? '127.0.0.1'
  const { startDashboard, isLoopbackHost } = await import('../dashboard/server.js')
  if (!isLoopbackHost(host)) {
    io.stderr(
      `warning: listening on ${host}: anyone who can reach this address sees the dashboard (there is no authentication); accepting differences stays loopback-only\n`,
    )
  }
  const dashboard = await startDashboard({ historyFile, host, port, ...(configFile ? { configFile } : {}) })
  const shown = (f: string) => relative(process.cwd(), f) || f
  io.stdout(
    `parity dashboard: ${dashboard.url}\n  history ${shown(historyFile)}${configFile ? `, config ${shown(configFile)}` : ' (no config: accepting is off)'}\n  Ctrl-C to stop\n`,
  )
  if (values.open) openBrowser(dashboard.url)
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      done()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await dashboard.close()
  io.stdout('stopped\n')
  return 0
}
