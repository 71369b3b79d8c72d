import { plural } from '../model/words.js'
import { ParityError } from '../model/errors.js'
import type { Diagnostic } from '../model/inventory.js'
import { parseCommandArgs, REDACT_FLAGS, redactFlags, secondsFlag } from './args.js'
import type { Command, CommandIo } from './command.js'

const RECORD_HELP = `Usage: parity record --target URL --out FILE [--listen PORT] [--session-header NAME] [--redact-header NAME] [--redact-field NAME] [--keep-secrets] [--allow-remote]
       parity record --mcp --out calls.yaml [--keep-secrets] -- SERVER-COMMAND ARGS

A reverse proxy in front of the baseline: traffic passes through unchanged (streaming, binary,
keep-alive, WebSocket) and every exchange is appended to the NDJSON corpus FILE, secrets redacted
before anything reaches disk (Authorization, Cookie, Set-Cookie values, password/token/secret
fields). Listens on 127.0.0.1; stop with Ctrl-C.

Sessions are clients, not connections: a request joins the session of the client that sent it,
known by the --session-header value, else by the credential it carries (the Authorization token,
a session cookie, a secret header such as x-auth-token) or by the login whose answer issued that
credential (a Set-Cookie, a token in the JSON body). A request with none of these stays with its
connection. Replay sends a session's requests in the order they arrived, whatever connection they
came over, and carries ids and tokens across the whole session. Credentials are compared as keyed
hashes held in memory only; the corpus holds no credential.

Options:
  --listen PORT     port to listen on (default: a free one, printed)
  --session-header NAME  a request header that names the client (x-client-id): requests with the
                    same value are one session, whatever else they carry
  --redact-header NAME  one more header whose value is secret (repeatable; many are by default:
                        authorization, cookies, *token*, *secret*, *session*, *csrf*, api keys)
  --redact-field NAME   one more JSON, form, query or multipart field whose value is secret
                        (repeatable; password, token, secret, jwt, key, otp, pin... by default)
  --keep-secrets    write secrets as they are (local use only)
  --allow-remote    allow a target that is not on this machine (default: loopback only)
  --mcp             record MCP tool calls instead: give parity to an MCP client as its
                    server command; it runs SERVER-COMMAND and passes stdio through
`

const SHADOW_HELP = `Usage: parity shadow --baseline URL --candidate URL [--listen PORT] [--sample 0.1] [--queue N] [--drain S]

Live clients are answered by the baseline only; a sampled copy of each request goes to the
candidate in the background (never delaying or failing a client; a full queue drops and counts)
and the two answers are compared. Listens on 127.0.0.1; on Ctrl-C it stops listening, lets the
copies in flight finish (up to --drain seconds, default 10; a second Ctrl-C stops at once), then
prints the routes seen with their status and the mirror's counts.

Options:
  --sample SHARE        share of requests copied, 0..1 (default 1)
  --queue N             copies waiting for the candidate before more are dropped (default 1000)
  --drain S             on stop, seconds to wait for copies in flight (default 10)
  --allow-remote        allow a baseline or candidate not on this machine (default: loopback only)
  --redact-header NAME  one more header whose value is secret in the printed differences
  --redact-field NAME   one more JSON, form or query field whose value is secret (both repeatable)
Exit code 1 when a route diverged; 2 when copies were cut off unanswered at the stop and nothing
diverged (the comparison is incomplete).
`

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/** Runs `then` on the next Ctrl-C or SIGTERM, until the returned function is called. */
function onNextStop(then: () => void): () => void {
  const stop = () => {
    off()
    then()
  }
  const off = () => {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  return off
}

function port(value: unknown): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ParityError('USAGE', `--listen ${String(value)} is not a port`, 'give a port between 1 and 65535, or leave it out for a free one')
  return n
}

export const recordCommand: Command = async (argv, io) => {
  if ((argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv).includes('--mcp')) return (await import('./record-mcp.js')).recordMcpCommand(argv, io)
  const { values } = parseCommandArgs('record', argv, {
    target: { type: 'string' },
    out: { type: 'string' },
    listen: { type: 'string' },
    'session-header': { type: 'string' },
    ...REDACT_FLAGS,
    'keep-secrets': { type: 'boolean' },
    'allow-remote': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(RECORD_HELP)
    return 0
  }
  if (!values.target || !values.out)
    throw new ParityError(
      'USAGE',
      `record needs --${values.target ? 'out' : 'target'}`,
      'run `parity record --target http://127.0.0.1:3000 --out corpus.ndjson`',
    )
  const { checkTarget } = await import('../systems/targets.js')
  checkTarget(values.target, { allowRemote: !!values['allow-remote'], what: 'recorded traffic' })
  const { startRecorder } = await import('../verify/record.js')
  const listen = port(values.listen)
  const recorder = await startRecorder({
    target: values.target,
    out: values.out,
    ...(listen !== undefined ? { listen } : {}),
    ...(values['session-header'] ? { sessionHeader: values['session-header'] } : {}),
    redact: {
      ...(values['keep-secrets'] ? { keep: true } : {}),
      ...redactFlags(values),
    },
  })
  io.stderr(`recording ${recorder.url} -> ${values.target} into ${values.out}${values['keep-secrets'] ? ' (secrets kept)' : ''}; Ctrl-C to stop\n`)
  await untilStopped()
  await recorder.close()
  io.stderr(`recorded ${plural(recorder.recorded(), 'exchange')} into ${values.out}\n`)
  return 0
}

export const shadowCommand: Command = async (argv, io: CommandIo) => {
  const { values } = parseCommandArgs('shadow', argv, {
    baseline: { type: 'string' },
    candidate: { type: 'string' },
    listen: { type: 'string' },
    sample: { type: 'string' },
    queue: { type: 'string' },
    drain: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    ...REDACT_FLAGS,
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(SHADOW_HELP)
    return 0
  }
  if (!values.baseline || !values.candidate)
    throw new ParityError('USAGE', 'shadow needs --baseline and --candidate', 'run `parity shadow --baseline URL --candidate URL`')
  const { checkTarget } = await import('../systems/targets.js')
  for (const flag of ['baseline', 'candidate'] as const)
    checkTarget(values[flag] as string, { allowRemote: !!values['allow-remote'], what: 'shadowed traffic' })
  const drain = secondsFlag('drain', values.drain, { min: 0 }) ?? 10
  const { startShadow } = await import('../verify/shadow.js')
  const { compareExchange } = await import('../verify/exchange-diff.js')
  const { routeEvidence } = await import('../verify/evidence.js')
  const { renderReplay } = await import('../report/replay-table.js')
  const pairs: Parameters<typeof routeEvidence>[0] = []
  const verdicts: Parameters<typeof routeEvidence>[1] = []
  const listen = port(values.listen)
  const shadow = await startShadow({
    baseline: values.baseline,
    candidate: values.candidate,
    ...(listen !== undefined ? { listen } : {}),
    ...(values.sample !== undefined ? { sample: Number(values.sample) } : {}),
    ...(values.queue !== undefined ? { queue: Number(values.queue) } : {}),
    onPair: (x) => {
      pairs.push(x)
      verdicts.push(compareExchange(x, []))
    },
  })
  io.stderr(`shadowing on ${shadow.url}: clients answered by ${values.baseline}, copies to ${values.candidate}; Ctrl-C to stop\n`)
  await untilStopped()
  // Copies in flight are compared before the report, within --drain; a second Ctrl-C ends the wait.
  const pending = shadow.pending()
  if (pending > 0) io.stderr(`stopping: waiting up to ${drain} s for ${pending} cop${pending === 1 ? 'y' : 'ies'} in flight (Ctrl-C again to stop now)\n`)
  const off = onNextStop(() => shadow.abort())
  await shadow.close(drain * 1000)
  off()
  const routes = routeEvidence(pairs, verdicts, undefined, redactFlags(values))
  const s = shadow.stats()
  const diagnostics: Diagnostic[] = []
  if (s.unfinished > 0)
    diagnostics.push({
      level: 'warn',
      code: 'SHADOW_UNFINISHED',
      message: `${s.unfinished} cop${s.unfinished === 1 ? 'y was' : 'ies were'} cut off at the stop before the candidate answered: not compared`,
    })
  if (s.dropped > 0)
    diagnostics.push({
      level: 'info',
      code: 'SHADOW_DROPPED',
      message: `${plural(s.dropped, 'sampled request')} not copied (the queue was full or the request too large): not compared`,
    })
  io.stdout(renderReplay({ routes, noise: [], diagnostics }))
  io.stdout(`forwarded ${s.forwarded} · mirrored ${s.mirrored} · dropped ${s.dropped} · unfinished ${s.unfinished} · candidate errors ${s.candidateErrors}\n`)
  if (routes.some((r) => r.status === 'divergent' || r.status === 'missing' || r.status === 'consequence')) return 1
  // Comparisons cut off with nothing divergent are no clean result: some copies were never judged.
  return s.unfinished > 0 ? 2 : 0
}
