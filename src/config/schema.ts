/**
 * The config schema: one zod schema validates `parity.config.ts` and `parity.config.yaml`, and is
 * published as JSON Schema (schema/config.schema.json) for editor completion.
 */
import { z } from 'zod'

const nonEmpty = z.string().trim().min(1)

export const readinessSchema = z
  .object({
    http: z.string().startsWith('/').optional().describe('A path that must answer 2xx (`/health`).'),
    tcp: z.boolean().optional().describe('Ready when the port accepts a connection.'),
    log: z.string().optional().describe('Ready when a line of its output matches this regular expression.'),
  })
  .strict()
  .refine((r) => [r.http, r.tcp, r.log].filter((v) => v !== undefined && v !== false).length <= 1, 'give one of http, tcp, log')

export const runSchema = z
  .object({
    command: z.union([nonEmpty, z.array(nonEmpty).min(1)]).describe('An argv array, or a string run by the shell; `{port}` is replaced by the port.'),
    cwd: z.string().optional().describe("Working directory, relative to the config file (default: the system's source folder)."),
    env: z.record(z.string(), z.string()).optional().describe('Added to the environment; `PORT` is always set, `{port}` in values is replaced.'),
    port: z.number().int().min(1).max(65535).optional().describe('The port it listens on (default: a free port, passed as PORT).'),
    ready: readinessSchema.optional().describe('When it is ready (default: the port accepts a connection).'),
    timeout: z.number().positive().max(86_400, 'at most 86400 seconds (a day)').optional().describe('Seconds to wait for readiness (default 30).'),
    grace: z
      .number()
      .positive()
      .max(86_400, 'at most 86400 seconds (a day)')
      .optional()
      .describe('Seconds between SIGTERM and SIGKILL when stopping (default 3).'),
    tap: z
      .boolean()
      .optional()
      .describe(
        'Confirm the inventory at run time (default true): `parity run` starts the system once with a route tap loaded into Node (`NODE_OPTIONS=--import`), which records every route Express, Fastify, Koa or Hono registers, and reads any OpenAPI document the system serves.',
      ),
    openapi: z
      .string()
      .startsWith('/')
      .optional()
      .describe(
        'Where the system serves its OpenAPI document, when not at a usual place (`/openapi.json`, `/docs/json`, `/api-json`, `/swagger.json`, `/v3/api-docs`).',
      ),
  })
  .strict()

const requestSchema = z
  .object({
    method: nonEmpty.default('GET'),
    path: z.string().startsWith('/').describe('Path and query.'),
    headers: z.record(z.string(), z.string()).optional(),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .optional()
      .describe('A string, or JSON.'),
    weight: z.number().positive().optional().describe('Share in a mix (default 1).'),
  })
  .strict()

export const benchSchema = z
  .object({
    scenarios: z
      .array(
        z
          .object({
            name: z.string().optional().describe('Default: `METHOD path` of its first request.'),
            requests: z.array(requestSchema).min(1).describe('One request, or a weighted mix.'),
          })
          .strict(),
      )
      .optional()
      .describe("What load to send. Without scenarios: a weighted mix of the replay corpus's GET requests."),
    setup: z
      .array(
        requestSchema
          .omit({ weight: true })
          .extend({
            capture: z
              .record(z.string(), z.string())
              .optional()
              .describe('Values to keep, by name: a JSON Pointer into the answer (`/token`) or `header:<name>`; scenarios use them as `${name}`.'),
            repeat: z.number().int().positive().max(10_000).optional().describe('Send it this many times (`${i}` is the index), e.g. to seed data.'),
          })
          .strict(),
      )
      .optional()
      .describe('Requests sent once to each system after it starts and before the trials: log in, seed data.'),
    connections: z.number().int().positive().max(10_000).optional().describe('Closed model: requests in flight (default 16).'),
    rate: z.number().positive().optional().describe('Open model: requests per second (latency corrected for coordinated omission).'),
    duration: z.number().positive().max(3600).optional().describe('Seconds measured per trial (default 5).'),
    warmup: z.number().min(0).max(600).optional().describe('Seconds of load before each trial, not recorded (default 2).'),
    trials: z.number().int().positive().max(50).optional().describe('Trials per system, alternating A B A B (default 3).'),
    maxSpread: z
      .number()
      .positive()
      .max(10)
      .optional()
      .describe(
        'Spread of the trials (coefficient of variation of per-trial throughput or p95, on either side) over which a comparison is too noisy to decide (default 0.25), in the HTTP and the MCP bench: a ratio gate (`p95 <= 0.5x`) the spread could flip is then undecided, which does not pass (exit code 1).',
      ),
    startup: z
      .union([
        z.literal(false),
        z.object({ runs: z.number().int().positive().max(100).optional(), warmup: z.number().int().min(0).max(10).optional() }).strict(),
      ])
      .optional()
      .describe('Cold starts measured per system (default 10 runs after 1 warm-up); `false` to skip.'),
    websocket: z
      .object({
        path: z.string().startsWith('/').describe('A WebSocket path that broadcasts what one client sends to every client (`/ws/feed`).'),
        connections: z.number().int().positive().max(10_000).optional().describe('Subscribers held open (default 50).'),
        messages: z.number().int().positive().max(100_000).optional().describe('Messages the publisher sends (default 200).'),
      })
      .strict()
      .optional()
      .describe('WebSocket fan-out: N subscribers, one publisher; connection success rate and publish-to-receipt latency.'),
    cpus: z
      .object({ systems: z.string().optional(), generator: z.string().optional() })
      .strict()
      .optional()
      .describe('Pin the systems and the load generator to CPU lists (`taskset` syntax: `0`, `1-3`), when the machine has them.'),
  })
  .strict()

export const scorecardSchema = z
  .object({
    coverage: z
      .string()
      .optional()
      .describe('A test coverage report: lcov (`lcov.info`), Cobertura XML or Istanbul JSON (`coverage-final.json`, `coverage-summary.json`).'),
    typeCoverage: z
      .union([z.boolean(), z.string()])
      .optional()
      .describe('TypeScript type coverage, computed with the compiler API: `true` (the tsconfig.json of the source) or a tsconfig path.'),
    audit: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('Vulnerability reports: `npm audit --json`, `cargo audit --json`, `govulncheck -json`, `pip-audit -f json` outputs.'),
    openapi: z.string().optional().describe('The OpenAPI document whose described routes count as documented (`apiDocumented`).'),
    bundle: z.string().optional().describe('The folder of a built front end: raw and gzip size per entry (`.js`, `.css`).'),
  })
  .strict()

export const planSchema = z
  .object({
    weights: z
      .record(z.string(), z.number().min(0))
      .optional()
      .describe(
        'Weights of the ranking factors: priority `traffic`, `fanIn`, `surface`, `data`, `uses`, `missing`; risk `lines`, `items`, `routes`, `tables`, `realtime`, `capabilities`, `coverage`.',
      ),
    rules: z.string().optional().describe('A language rules file (YAML) replacing the default rule set.'),
    targets: z
      .array(z.enum(['rust', 'go', 'typescript', 'python']))
      .min(1)
      .optional()
      .describe(
        'The languages the plan may suggest (default: the languages the candidates are written in). A rule naming another language is passed over; `keep` is always possible.',
      ),
  })
  .strict()

export const mcpTransportSchema = z
  .object({
    command: z
      .union([nonEmpty, z.array(nonEmpty).min(1)])
      .optional()
      .describe('stdio: the server command (an argv array, or a string run by the shell).'),
    cwd: z.string().optional().describe('stdio: working directory, relative to the config file (default: the source folder).'),
    env: z.record(z.string(), z.string()).optional().describe('stdio: added to the environment.'),
    url: z.string().url().optional().describe('Streamable HTTP: the endpoint (`http://127.0.0.1:3000/mcp`); WebSocket for a `ws://` URL.'),
  })
  .strict()
  .refine((m) => (m.command === undefined) !== (m.url === undefined), 'give either `command` (stdio) or `url` (Streamable HTTP)')

export const mcpSchema = z
  .object({
    calls: z.string().optional().describe('A calls file (YAML or JSON: a list of `{ tool, arguments, expect }`), relative to the config file.'),
    timeout: z.number().positive().max(86_400, 'at most 86400 seconds (a day)').optional().describe('Seconds per call (default 10).'),
    bench: z
      .object({
        tools: z.array(nonEmpty).optional().describe('Tools to time (default: those in the calls file).'),
        concurrency: z.number().int().positive().max(256).optional().describe('Calls in flight (default 4).'),
        calls: z.number().int().positive().max(100_000).optional().describe('Calls per tool in each trial (default 200).'),
        trials: z
          .number()
          .int()
          .positive()
          .max(50)
          .optional()
          .describe('Trials per tool and system, alternating baseline, candidate, baseline... (default 3; under 3 no confidence word is given).'),
        startup: z.number().int().min(0).max(100).optional().describe('Cold starts to a completed initialize (default 5; 0 to skip).'),
      })
      .strict()
      .optional(),
  })
  .strict()

export const systemSchema = z
  .object({
    name: nonEmpty.describe('A short name, used in reports and as a column of the matrix.'),
    role: z
      .enum(['baseline', 'candidate', 'peer'])
      .describe(
        '`baseline` is the system being replaced, a `candidate` its rewrite; a `peer` is a sister platform: scanned and shown in the cross-platform matrix, never paired as a port, never gated.',
      ),
    source: nonEmpty.describe(
      'What to inventory: a source folder, an OpenAPI document, or an inventory JSON saved by `parity scan --format json`; relative to the config file.',
    ),
    database: z.string().optional().describe('A database URL to introspect (`postgres://...`, `sqlite:path`): its tables join the inventory.'),
    url: z.string().url().optional().describe('Base URL of the running system, for replay and e2e (`http://127.0.0.1:3000`).'),
    url2: z.string().url().optional().describe('Baseline only: a second, independent instance, so that noise is learned from two answers.'),
    resetCommand: z
      .string()
      .optional()
      .describe(
        'A shell command run before a replay so that both systems start from the same state, and on the baseline between the two passes of `replay.twice` (the side it resets in PARITY_RESET_TARGET).',
      ),
    run: runSchema.optional().describe('How parity starts this system for replay, e2e and bench (then `url` is not needed).'),
    mcp: mcpTransportSchema
      .optional()
      .describe('This system is (or includes) an MCP server: how to reach it, for `parity mcp` and the MCP stage of `parity run`.'),
    scorecard: scorecardSchema.optional().describe('Artifacts the team already produces, read into quality figures (gated like the rest).'),
  })
  .strict()

export const componentSchema = z
  .object({
    name: nonEmpty,
    service: z
      .string()
      .optional()
      .describe(
        "A baseline service (monorepos): its items belong to the component; with `paths`, only its endpoints under them. A candidate's items count by the baseline service their service ports.",
      ),
    paths: z.array(nonEmpty).optional().describe('Route path prefixes (`/api/auth`): endpoints under them belong to the component.'),
    files: z.array(nonEmpty).optional().describe('Source globs (`src/auth/**`): items found in these files belong to the component.'),
  })
  .strict()

export const featureSchema = z
  .object({
    name: nonEmpty.describe('What people call it: `2fa`, `bulk import`.'),
    component: z.string().optional().describe('The component it belongs to (default: the one most of its items belong to).'),
    items: z
      .array(z.union([nonEmpty, z.object({ capability: nonEmpty }).strict(), z.object({ table: nonEmpty }).strict()]))
      .min(1)
      .describe('What makes it up: key patterns like `exclude` rules (`POST /api/auth/2fa/*`, `GET /api/admin/**`), `capability totp`, `table users`.'),
  })
  .strict()

export const mapRuleSchema = z
  .object({
    from: nonEmpty.describe('A baseline key (`GET /api/user/{id}`, `table users`) or a path prefix (`/api/v1`).'),
    to: nonEmpty.describe('What the candidate calls it: a key, or the prefix that replaces `from`.'),
    candidate: z.string().optional().describe('Only for this candidate (default: every candidate).'),
    reason: z.string().optional(),
  })
  .strict()

export const excludeSchema = z
  .object({
    match: nonEmpty.describe('A key pattern; `*` matches within a segment, `**` across segments (`GET /api/admin/**`, `table audit_*`, `capability redis`).'),
    reason: nonEmpty.describe('Why it is intentionally not ported: shown beside every item it excludes.'),
  })
  .strict()

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    systems: z.array(systemSchema).min(2).describe('The baseline and one or more candidates.'),
    components: z.array(componentSchema).optional().describe('Group items into components; without this, components come from route prefixes.'),
    map: z.array(mapRuleSchema).optional().describe('Renamed routes, moved prefixes and renamed tables.'),
    services: z
      .object({
        migrated: z
          .object({
            ported: z.number().min(0).max(1).optional().describe("Share of a service's endpoints its port must have (0..1, default 1: every one)."),
            verified: z.number().min(0).max(1).optional().describe('Share of them that replay or the end-to-end suite must have verified (0..1, default 0).'),
          })
          .strict()
          .optional()
          .describe('What a baseline service\'s port needs to count as migrated; a port short of it is "partly".'),
      })
      .strict()
      .optional()
      .describe('Service by service figures (monorepos): what "migrated" means.'),
    exclude: z.array(excludeSchema).optional().describe('Baseline items intentionally not ported, each with a reason.'),
    features: z
      .array(featureSchema)
      .optional()
      .describe('Features as people name them, each a checklist of items with a status per candidate (`parity features`).'),
    scan: z
      .object({
        maxFileSize: z.union([z.number().int().positive(), z.string()]).optional().describe('Skip larger files (bytes, or `2mb`).'),
        fileTimeout: z
          .number()
          .positive()
          .max(86_400, 'at most 86400 seconds (a day)')
          .optional()
          .describe(
            'Seconds one file may take to parse and extract (default 20); a file past it is stopped and skipped with a diagnostic, when the scan runs in worker threads.',
          ),
      })
      .strict()
      .optional(),
    gates: z
      .array(nonEmpty)
      .optional()
      .describe(
        'Conditions `parity run` checks; exit code 1 when one fails: `ported >= 0.9`, `verified >= 80%`, `missingCapabilities == 0`, `missingTables == 0`, `unresolved <= 5` (routes the scan could not resolve, in the baseline and the candidate), `noRegression`; from the bench, absolute (`p95 < 100ms`, `startup < 500ms`, `rss < 250mb`, `rps >= 1000`) or as a ratio to the baseline (`p95 <= 0.5x`, `rps >= 1.5x`, `rss <= 0.6x`, `cpu <= 0.65x`).',
      ),
    objectives: z
      .array(
        z
          .object({
            name: nonEmpty.describe('What the migration is for, in a few words: `Faster list endpoint`.'),
            gate: nonEmpty.describe('The gate that measures it, written like `gates`: `p95 <= 0.5x`, `rss <= 0.8x`, `typeCoverage >= 95%`.'),
            why: z.string().optional().describe('Why it matters, shown next to it.'),
          })
          .strict(),
      )
      .optional()
      .describe(
        "The migration's objectives: named gates. `parity run` checks them with the gates (a failing objective fails the run), and the vault's Index and the dashboard show each one's value and trend over the stored runs.",
      ),
    accepted: z
      .array(
        z
          .object({
            fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'a fingerprint is 16 hex digits, as `parity run --json` prints them'),
            reason: nonEmpty,
          })
          .strict(),
      )
      .optional()
      .describe('Accepted differences: findings by fingerprint, with the reason they do not fail a gate.'),
    reports: z
      .object({
        md: z.string().optional().describe('Folder of the Markdown vault (Index, Coverage, Components, Systems, Comparison).'),
        html: z.string().optional().describe('Single-file HTML report.'),
        junit: z.string().optional().describe('JUnit XML: one test case per baseline item.'),
        json: z.string().optional().describe('The RunResult as JSON.'),
      })
      .strict()
      .optional()
      .describe('Reports `parity run` writes, relative to the config file.'),
    history: z.string().optional().describe('The history store (default: .parity/history.sqlite beside the config).'),
    redact: z
      .object({
        headers: z
          .array(nonEmpty)
          .optional()
          .describe(
            'More header names whose values are secret (case-insensitive), beside the defaults (Authorization, cookies, names holding token, secret, session, csrf, api-key...).',
          ),
        fields: z
          .array(nonEmpty)
          .optional()
          .describe(
            'More JSON, form, query or multipart field names whose values are secret (case, `_` and `-` ignored), beside the defaults (password, token, secret, jwt, key, otp, pin...).',
          ),
      })
      .strict()
      .optional()
      .describe(
        'Secrets kept out of everything `parity run` stores (history, reports, vault, `--json`): values under these names in replayed answers, differences and examples become `[redacted]`. JWT-shaped values are redacted under any name.',
      ),
    replay: z
      .object({
        corpus: nonEmpty.describe('HAR, NDJSON corpus or YAML scenario, relative to the config file.'),
        origin: z.string().optional().describe('The recorded service host, when the corpus holds several.'),
        sessionHeader: z
          .string()
          .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name, such as x-client-id')
          .optional()
          .describe(
            "A request header that names the client (`x-client-id`): a HAR's entries with the same value are one session. `parity record --session-header` does the same when recording.",
          ),
        twice: z
          .boolean()
          .optional()
          .describe(
            "Without a baseline `url2`: replay against the baseline twice (after its resetCommand) to learn noise; a corpus with writes needs the baseline's resetCommand, else the replay stops.",
          ),
        concurrency: z.number().int().positive().optional(),
        timeout: z.number().positive().max(86_400, 'at most 86400 seconds (a day)').optional().describe('Seconds per request (default 10).'),
        ignore: z
          .array(
            z
              .object({
                route: z.string().default('*').describe('A route key or `*`.'),
                where: z.enum(['header', 'body']),
                pointer: nonEmpty.describe('JSON Pointer into the body (a `*` segment for any index), or the header name.'),
                reason: nonEmpty,
              })
              .strict(),
          )
          .optional()
          .describe('Differences that are not findings, each with a reason; a rule that matches nothing is a warning.'),
        normalizers: z
          .partialRecord(z.enum(['key-order', 'number-format', 'timestamp', 'null-vs-absent', 'header-case']), z.boolean())
          .optional()
          .describe('Switch the cross-language normalisers off (all are on).'),
      })
      .strict()
      .optional()
      .describe('Replay recorded traffic against the systems with a `url`: routes become verified or divergent.'),
    e2e: z
      .object({
        command: z.union([nonEmpty, z.array(nonEmpty).min(1)]).describe('The old end-to-end suite (an argv array, or a string run by the shell).'),
        env: z.string().optional().describe('The base URL variable (default BASE_URL; with `mcp`, MCP_SERVER_COMMAND or MCP_SERVER_URL).'),
        mcp: z
          .boolean()
          .optional()
          .describe(
            "An MCP suite: it is handed the baseline's and then the candidate's `mcp` block, the command that starts the server over stdio (the suite spawns it) or its URL.",
          ),
        junit: z.string().optional().describe('The JUnit file the suite writes, relative to the config file.'),
        timeout: z.number().positive().max(86_400, 'at most 86400 seconds (a day)').optional().describe('Seconds per run (default 600).'),
      })
      .strict()
      .optional()
      .describe('Run the old end-to-end suite against the baseline and each candidate with a `url`; gate on `e2ePassRate`.'),
    cutover: z
      .object({
        force: z
          .array(
            z
              .object({
                match: nonEmpty.describe('A route key pattern; `*` matches within a segment, `**` across segments (`GET /api/search`, `POST /api/import/**`).'),
                reason: nonEmpty.describe('Why it may go to the candidate unverified: written as a comment beside the route in the gateway config.'),
              })
              .strict(),
          )
          .optional()
          .describe(
            "Routes sent to the candidate by `parity cutover` although they are not verified (divergent, ported or extra), each with a reason: `{ match: 'GET /api/search', reason: 'the new ranking is intended' }`.",
          ),
        check: z
          .object({
            env: z
              .record(z.string(), z.string())
              .optional()
              .describe(
                "Added to the `run.env` of the baseline and the candidate behind the gateway (not of the baseline alone), `{tmp}` replaced by the check's temporary folder: the state a hybrid shares, e.g. `{ DATABASE: '{tmp}/hybrid.sqlite' }`.",
              ),
          })
          .strict()
          .optional()
          .describe('`parity cutover --check`: how the systems behind the gateway are started.'),
      })
      .strict()
      .optional()
      .describe('The gateway config `parity cutover` writes: verified routes go to the candidate, the rest to the baseline.'),
    plan: planSchema.optional().describe('How `parity plan` ranks what to port next and suggests target languages.'),
    mcp: mcpSchema.optional().describe('MCP parity between systems with an `mcp` block: tool checklist, scripted calls diffed, latency per tool.'),
    bench: benchSchema.optional().describe('Benchmark the systems with a `run` block (or a `url`): cold start, throughput, latency, memory, CPU.'),
  })
  .strict()

/** The config as written (before paths are resolved). */
export type ParityConfig = z.input<typeof configSchema>
export type SystemConfig = z.infer<typeof systemSchema>
export type ComponentConfig = z.infer<typeof componentSchema>
export type MapRule = z.infer<typeof mapRuleSchema>
export type RunConfig = z.infer<typeof runSchema>
export type BenchConfig = z.infer<typeof benchSchema>
export type McpConfig = z.infer<typeof mcpSchema>
export type ScorecardConfig = z.infer<typeof scorecardSchema>
export type PlanConfig = z.infer<typeof planSchema>
export type McpTransportConfig = z.infer<typeof mcpTransportSchema>
export type ExcludeRule = z.infer<typeof excludeSchema>
export type FeatureConfig = z.infer<typeof featureSchema>
export type ObjectiveConfig = NonNullable<z.infer<typeof configSchema>['objectives']>[number]

/** Identity, for a typed `parity.config.ts`: `export default defineConfig({ systems: [...] })`. */
export function defineConfig(config: ParityConfig): ParityConfig {
  return config
}
