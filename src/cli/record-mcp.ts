import { plural } from '../model/words.js'
import { ParityError } from '../model/errors.js'
import { parseCommandArgs } from './args.js'
import type { Command } from './command.js'

const HELP = `Usage: parity record --mcp --out calls.yaml [--keep-secrets] -- SERVER-COMMAND ARGS

Give this command line to an MCP client as its server command: parity runs the real server and
passes stdin and stdout through unchanged, and appends every \`tools/call\` the client makes to
calls.yaml as \`{ tool, arguments }\` (password, token, secret... fields redacted), the calls file
of \`parity mcp --calls\`. Nothing but the server's answers is written to stdout.
`

/** `parity record --mcp`: stdout belongs to the protocol, so everything parity says goes to stderr. */
export const recordMcpCommand: Command = async (argv, io) => {
  const dash = argv.indexOf('--')
  const own = dash < 0 ? argv : argv.slice(0, dash)
  const server = dash < 0 ? [] : argv.slice(dash + 1)
  const { values } = parseCommandArgs('record', own, {
    mcp: { type: 'boolean' },
    out: { type: 'string' },
    'keep-secrets': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stderr(HELP)
    return 0
  }
  if (!values.out) throw new ParityError('USAGE', 'record --mcp needs --out FILE', 'run `parity record --mcp --out calls.yaml -- node server.js`')
  if (!server.length)
    throw new ParityError('USAGE', 'record --mcp needs the server command after `--`', 'run `parity record --mcp --out calls.yaml -- node server.js`')
  const { startMcpRecorder } = await import('../mcp/record.js')
  const recorder = startMcpRecorder({
    command: server,
    out: values.out,
    keepSecrets: !!values['keep-secrets'],
    input: process.stdin,
    output: process.stdout,
    errors: process.stderr,
  })
  const stop = () => recorder.stop()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    const code = await recorder.done
    io.stderr(`parity: recorded ${plural(recorder.recorded(), 'tool call')} into ${values.out}${values['keep-secrets'] ? ' (secrets kept)' : ''}\n`)
    return code
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    // The client's end of stdin may still be open: let the process exit.
    process.stdin.pause()
    ;(process.stdin as { unref?: () => void }).unref?.()
  }
}
