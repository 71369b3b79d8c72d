/**
 * The config schema: one zod schema validates `parity.config.ts` and `parity.config.yaml`, and is
 * published as JSON Schema (schema/config.schema.json) for editor completion.
 */
import { z } from 'zod'

const nonEmpty = z.string().trim().min(1)

export const systemSchema = z
  .object({
    name: nonEmpty.describe('A short name, used in reports and as a column of the matrix.'),
    role: z.enum(['baseline', 'candidate']).describe('`baseline` is the system being replaced; every other system is a `candidate`.'),
    source: nonEmpty.describe('What to inventory: a source folder, an OpenAPI document, or an inventory JSON saved by `parity scan --format json`; relative to the config file.'),
    database: z.string().optional().describe('A database URL to introspect (`postgres://...`, `sqlite:path`): its tables join the inventory.'),
    url: z.string().url().optional().describe('Base URL of the running system, for replay and e2e (`http://127.0.0.1:3000`).'),
    url2: z.string().url().optional().describe('Baseline only: a second, independent instance, so that noise is learned from two answers.'),
    resetCommand: z.string().optional().describe('A shell command run before a replay so that both systems start from the same state.'),
  })
  .strict()

export const componentSchema = z
  .object({
    name: nonEmpty,
    paths: z.array(nonEmpty).optional().describe('Route path prefixes (`/api/auth`): endpoints under them belong to the component.'),
    files: z.array(nonEmpty).optional().describe('Source globs (`src/auth/**`): items found in these files belong to the component.'),
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
    exclude: z.array(excludeSchema).optional().describe('Baseline items intentionally not ported, each with a reason.'),
    scan: z
      .object({ maxFileSize: z.union([z.number().int().positive(), z.string()]).optional().describe('Skip larger files (bytes, or `2mb`).') })
      .strict()
      .optional(),
    gates: z
      .array(nonEmpty)
      .optional()
      .describe('Conditions `parity run` checks; exit code 1 when one fails: `ported >= 0.9`, `verified >= 80%`, `missingCapabilities == 0`, `missingTables == 0`, `noRegression`.'),
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
    replay: z
      .object({
        corpus: nonEmpty.describe('HAR, NDJSON corpus or YAML scenario, relative to the config file.'),
        origin: z.string().optional().describe('The recorded service host, when the corpus holds several.'),
        twice: z.boolean().optional().describe('Without a baseline `url2`: replay against the baseline twice (after its resetCommand) to learn noise.'),
        concurrency: z.number().int().positive().optional(),
        timeout: z.number().positive().optional().describe('Seconds per request (default 10).'),
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
          .record(z.enum(['key-order', 'number-format', 'timestamp', 'null-vs-absent', 'header-case']), z.boolean())
          .optional()
          .describe('Switch the cross-language normalisers off (all are on).'),
      })
      .strict()
      .optional()
      .describe('Replay recorded traffic against the systems with a `url`: routes become verified or divergent.'),
    e2e: z
      .object({
        command: z.union([nonEmpty, z.array(nonEmpty).min(1)]).describe('The old end-to-end suite (an argv array, or a string run by the shell).'),
        env: z.string().optional().describe('The base URL variable (default BASE_URL).'),
        junit: z.string().optional().describe('The JUnit file the suite writes, relative to the config file.'),
        timeout: z.number().positive().optional().describe('Seconds per run (default 600).'),
      })
      .strict()
      .optional()
      .describe('Run the old end-to-end suite against the baseline and each candidate with a `url`; gate on `e2ePassRate`.'),
  })
  .strict()

/** The config as written (before paths are resolved). */
export type ParityConfig = z.input<typeof configSchema>
export type SystemConfig = z.infer<typeof systemSchema>
export type ComponentConfig = z.infer<typeof componentSchema>
export type MapRule = z.infer<typeof mapRuleSchema>
export type ExcludeRule = z.infer<typeof excludeSchema>

/** Identity, for a typed `parity.config.ts`: `export default defineConfig({ systems: [...] })`. */
export function defineConfig(config: ParityConfig): ParityConfig {
  return config
}
