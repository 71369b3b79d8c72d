/**
 * The published JSON Schemas that are derived rather than written: the config's (from its zod
 * schema) and the RunResult's (which embeds the inventory schema's item definitions).
 */
import { z } from 'zod'
import { configSchema } from './schema.js'

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://parity.dev/schema/config/v1.json',
    title: 'parity config',
  }
}

type JsonSchema = Record<string, unknown>

export function runJsonSchema(inventorySchema: { $defs: Record<string, JsonSchema>; properties: Record<string, JsonSchema> }): JsonSchema {
  const ref = (name: string) => ({ $ref: `#/$defs/${name}` })
  const counts = {
    type: 'object',
    required: ['ported', 'missing', 'extra', 'excluded', 'verified', 'divergent'],
    properties: Object.fromEntries(['ported', 'missing', 'extra', 'excluded', 'verified', 'divergent'].map((k) => [k, { type: 'integer', minimum: 0 }])),
    additionalProperties: false,
  }
  const status = { enum: ['missing', 'ported', 'verified', 'divergent', 'excluded', 'extra'] }
  const nullableItem = { oneOf: [ref('item'), { type: 'null' }] }
  const counted = (keys: string[]) => ({
    type: 'object',
    required: keys,
    additionalProperties: false,
    properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer', minimum: 0 }])),
  })
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://parity.dev/schema/run/v1.json',
    title: 'parity RunResult',
    description: 'What `parity diff --format json` prints, and what every report and the history store read.',
    type: 'object',
    required: ['schema', 'tool', 'startedAt', 'systems', 'pairs', 'nearMisses', 'components', 'summary', 'candidates', 'diagnostics'],
    additionalProperties: false,
    properties: {
      schema: { const: 'parity.run/v1' },
      tool: { type: 'object', required: ['name', 'version'], properties: { name: { const: 'parity' }, version: { type: 'string' } } },
      startedAt: { type: 'string', description: 'ISO 8601 time the run started.' },
      config: { type: 'string' },
      systems: { type: 'array', items: ref('system') },
      pairs: { type: 'array', items: ref('pair') },
      nearMisses: { type: 'array', items: ref('nearMiss') },
      components: { type: 'array', items: ref('component') },
      summary: ref('summary'),
      candidates: { type: 'object', additionalProperties: ref('summary') },
      gapSeverity: ref('gapSeverity'),
      services: ref('serviceMigration'),
      platforms: ref('platformMatrix'),
      database: { type: 'object', additionalProperties: ref('schemaFigures') },
      diagnostics: { type: 'array', items: ref('diagnostic') },
      id: { type: 'string' },
      git: { type: 'object', properties: { commit: { type: 'string' }, branch: { type: 'string' } }, additionalProperties: false },
      assessment: ref('assessment'),
      routes: { type: 'array', items: ref('routeEvidence') },
      noise: { type: 'array', items: ref('ignoreRule') },
      tests: { type: 'array', items: ref('e2eTest') },
      bench: { type: 'array', items: ref('benchEntry') },
      benchComparisons: { type: 'array', items: ref('benchComparison') },
      wsBench: {
        type: 'array',
        items: {
          type: 'object',
          required: ['target', 'path', 'connections', 'messages', 'connected', 'failed', 'successRate', 'published', 'received', 'latency'],
          properties: {
            target: { type: 'string' },
            system: { type: 'string' },
            path: { type: 'string' },
            successRate: { type: 'number', minimum: 0, maximum: 1 },
            latency: ref('latency'),
          },
        },
      },
      tools: { type: 'array', items: ref('mcpTool'), description: 'MCP: the tool checklist of the first candidate against the baseline.' },
      mcpServers: { type: 'object', additionalProperties: ref('mcpServer'), description: 'MCP: what each server said in initialize, by system name.' },
      mcpBench: { type: 'array', items: ref('mcpBenchEntry'), description: 'MCP: per tool latency of each server.' },
      mcpBenchComparisons: {
        type: 'array',
        items: ref('benchComparison'),
        description: 'MCP: each candidate against the baseline per tool (`scenario` is the tool, `rps` calls per second).',
      },
      plan: planSchema(),
      features: { type: 'array', items: featureSchema(), description: "Feature checklists: each configured feature's status per candidate." },
      featureProposals: { type: 'array', items: featureSchema(), description: 'Features parity proposes for a person to accept.' },
      status: statusSchema(),
    },
    $defs: {
      mcpTool: {
        type: 'object',
        required: ['name', 'kind', 'status', 'changes'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          kind: { enum: ['mcp-tool', 'mcp-resource', 'mcp-prompt'] },
          status: { enum: ['ported', 'missing', 'extra', 'divergent', 'verified'] },
          changes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kind', 'breaking', 'detail'],
              additionalProperties: false,
              properties: {
                kind: { enum: ['description', 'input-schema', 'output-schema', 'annotations', 'result'] },
                breaking: { type: 'boolean' },
                detail: { type: 'string' },
                pointer: { type: 'string' },
              },
            },
          },
          calls: {
            type: 'object',
            required: ['total', 'equivalent'],
            properties: { total: { type: 'integer', minimum: 0 }, equivalent: { type: 'integer', minimum: 0 } },
          },
        },
      },
      mcpServer: {
        type: 'object',
        required: ['serverInfo', 'protocolVersion', 'pages', 'initializeMs'],
        properties: {
          serverInfo: { type: 'object', required: ['name', 'version'], properties: { name: { type: 'string' }, version: { type: 'string' } } },
          protocolVersion: { type: 'string' },
          instructions: { type: 'string' },
          pages: { type: 'integer', minimum: 0 },
          initializeMs: { type: 'number', minimum: 0 },
        },
      },
      mcpBenchEntry: {
        type: 'object',
        required: ['system', 'role', 'tool', 'concurrency', 'calls', 'callsPerSecond', 'latency', 'errors'],
        properties: {
          system: { type: 'string' },
          role: { enum: ['baseline', 'candidate'] },
          tool: { type: 'string' },
          concurrency: { type: 'integer', minimum: 1 },
          calls: { type: 'integer', minimum: 0 },
          callsPerSecond: { type: 'number', minimum: 0 },
          latency: ref('latency'),
          errors: { type: 'integer', minimum: 0, description: 'Calls that errored, over the trials; never timed.' },
          resources: ref('resources'),
          idle: ref('resources'),
          trials: {
            type: 'array',
            items: {
              type: 'object',
              required: ['index', 'calls', 'errors', 'callsPerSecond', 'latency'],
              properties: {
                index: { type: 'integer', minimum: 0 },
                calls: { type: 'integer', minimum: 0 },
                errors: { type: 'integer', minimum: 0 },
                callsPerSecond: { type: 'number', minimum: 0 },
                latency: ref('latency'),
                resources: ref('resources'),
              },
            },
          },
          distribution: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
          startup: {
            type: 'object',
            required: ['runs', 'median', 'mean', 'stddev', 'min', 'max', 'outliers', 'times'],
            properties: {
              runs: { type: 'integer' },
              median: { type: 'number' },
              mean: { type: 'number' },
              stddev: { type: 'number' },
              min: { type: 'number' },
              max: { type: 'number' },
            },
          },
        },
      },
      latency: {
        type: 'object',
        description: 'Milliseconds.',
        required: ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'min'],
        properties: {
          ...Object.fromEntries(['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'min'].map((k) => [k, { type: 'number', minimum: 0 }])),
          count: { type: 'integer', minimum: 0, description: 'Samples the figures rest on (requests or calls timed).' },
        },
      },
      resources: {
        type: 'object',
        required: ['samples', 'rssPeakMb', 'rssMeanMb', 'cpuMeanPercent', 'cpuPeakPercent', 'processes', 'method'],
        properties: {
          samples: { type: 'integer', minimum: 0 },
          rssPeakMb: { type: 'number' },
          rssMeanMb: { type: 'number' },
          cpuMeanPercent: { type: 'number', description: 'Percent of one core.' },
          cpuPeakPercent: { type: 'number' },
          processes: { type: 'integer' },
          method: { enum: ['proc', 'ps'] },
        },
      },
      benchEntry: {
        type: 'object',
        description: 'Figures of one system for one scenario over its trials (medians).',
        required: [
          'target',
          'scenario',
          'model',
          'connections',
          'throughput',
          'latency',
          'errors',
          'errorsByKind',
          'spread',
          'trials',
          'distribution',
          'generatorBound',
        ],
        properties: {
          target: { type: 'string' },
          system: { type: 'string' },
          role: { enum: ['baseline', 'candidate'] },
          scenario: { type: 'string' },
          model: { enum: ['closed', 'open'] },
          connections: { type: 'integer' },
          rate: { type: 'number' },
          throughput: { type: 'object', required: ['rps'], properties: { rps: { type: 'number' } } },
          latency: ref('latency'),
          errors: { type: 'integer', minimum: 0 },
          errorsByKind: { type: 'object', additionalProperties: { type: 'integer' } },
          spread: { type: 'object', required: ['min', 'max', 'cv'], properties: { min: { type: 'number' }, max: { type: 'number' }, cv: { type: 'number' } } },
          trials: { type: 'array', items: { type: 'object', required: ['index'], properties: { index: { type: 'integer' }, failed: { type: 'string' } } } },
          distribution: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
          generatorBound: { type: 'boolean' },
          resources: ref('resources'),
          idle: ref('resources'),
          startup: {
            type: 'object',
            required: ['runs', 'median', 'mean', 'stddev', 'min', 'max', 'outliers', 'times'],
            properties: {
              runs: { type: 'integer' },
              median: { type: 'number' },
              mean: { type: 'number' },
              stddev: { type: 'number' },
              min: { type: 'number' },
              max: { type: 'number' },
            },
          },
        },
      },
      benchComparison: {
        type: 'object',
        required: ['scenario', 'baseline', 'candidate', 'ratios', 'confidence', 'note'],
        properties: {
          scenario: { type: 'string' },
          baseline: { type: 'string' },
          candidate: { type: 'string' },
          ratios: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
          confidence: { enum: ['high', 'low', 'too-few-trials', 'too-noisy'] },
          note: { type: 'string' },
          trials: {
            type: 'object',
            required: ['baseline', 'candidate'],
            properties: { baseline: { type: 'integer', minimum: 0 }, candidate: { type: 'integer', minimum: 0 } },
          },
          ranges: {
            type: 'object',
            description: 'Lowest and highest candidate / baseline the trials allow, per trial-measured ratio.',
            additionalProperties: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
          },
        },
      },
      difference: {
        type: 'object',
        // A value absent on one side (kind `missing` or `extra`) is absent from the JSON too.
        required: ['where', 'pointer', 'kind'],
        properties: {
          where: { enum: ['status', 'header', 'body', 'ws', 'error'] },
          pointer: { type: 'string' },
          kind: { enum: ['missing', 'extra', 'type', 'value', 'order'] },
          baseline: {},
          candidate: {},
          note: { type: 'string' },
        },
      },
      routeEvidence: {
        type: 'object',
        required: ['method', 'path', 'key', 'status', 'exchanges', 'differences'],
        properties: {
          method: { type: 'string' },
          path: { type: 'string' },
          key: { type: 'string' },
          status: {
            enum: ['verified', 'divergent', 'missing', 'consequence', 'unproven', 'unexercised'],
            description:
              'missing: the candidate answered 404/405 to every exchange the baseline served; consequence: every difference follows an earlier refused write (accepted by one side only) of its session on the same data.',
          },
          exchanges: { type: 'integer', minimum: 0 },
          differences: { type: 'array', items: ref('difference') },
          example: { type: 'object' },
          groups: {
            type: 'array',
            description: 'The differences by shape of request (query parameter names, body keys), root causes first, likely consequences after.',
            items: {
              type: 'object',
              required: ['shape', 'exchanges', 'differences', 'examples'],
              additionalProperties: false,
              properties: {
                shape: { type: 'string' },
                exchanges: { type: 'integer', minimum: 0 },
                differences: {
                  type: 'array',
                  items: { allOf: [ref('difference'), { type: 'object', required: ['exchange'], properties: { exchange: { type: 'string' } } }] },
                },
                examples: {
                  type: 'array',
                  maxItems: 5,
                  items: {
                    type: 'object',
                    required: ['id', 'request', 'baseline', 'candidate'],
                    properties: { id: { type: 'string' }, request: { type: 'object' }, baseline: { type: 'object' }, candidate: { type: 'object' } },
                  },
                },
                cause: {
                  type: 'object',
                  required: ['exchange', 'route', 'request', 'via'],
                  additionalProperties: false,
                  properties: { exchange: { type: 'string' }, route: { type: 'string' }, request: { type: 'string' }, via: { type: 'string' } },
                },
              },
            },
          },
          consequences: {
            type: 'integer',
            minimum: 0,
            description: 'Exchanges that differed only as likely consequences of an earlier refused write (accepted by one side only).',
          },
        },
      },
      ignoreRule: {
        type: 'object',
        required: ['route', 'where', 'pointer', 'reason'],
        properties: {
          route: { type: 'string' },
          where: { enum: ['header', 'body'] },
          pointer: { type: 'string' },
          reason: { type: 'string' },
          evidence: { type: 'integer' },
          silenced: { type: 'integer', minimum: 0 },
        },
      },
      e2eTest: {
        type: 'object',
        required: ['name', 'baseline', 'candidate'],
        properties: {
          name: { type: 'string' },
          baseline: { enum: ['pass', 'fail', 'skip', 'absent'] },
          candidate: { enum: ['pass', 'fail', 'skip', 'absent'] },
          outcome: {
            enum: ['pass-both', 'regression', 'missing', 'fixed', 'fail-both', 'skipped', 'new'],
            description: 'What the test says about the candidate (assess/e2e.ts); absent in runs stored before it.',
          },
        },
      },
      finding: {
        type: 'object',
        required: ['fingerprint', 'type', 'kind', 'key', 'candidate', 'message'],
        additionalProperties: false,
        properties: {
          fingerprint: { type: 'string', pattern: '^[0-9a-f]{16}$' },
          type: { enum: ['missing', 'divergent', 'regression', 'missing-capability', 'missing-table'] },
          kind: { type: 'string' },
          key: { type: 'string' },
          candidate: { type: 'string' },
          message: { type: 'string' },
          source: ref('source'),
          accepted: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } },
        },
      },
      gate: {
        type: 'object',
        required: ['gate', 'passed', 'actual', 'message', 'findings'],
        additionalProperties: false,
        properties: {
          gate: { type: 'string' },
          passed: { type: 'boolean' },
          actual: { type: ['number', 'null'] },
          display: { type: 'string', description: "The measured value in the gate's own terms, as every reader shows it: `0.43x`, `87.5%`, `588 ms`." },
          message: { type: 'string' },
          findings: { type: 'array', items: { type: 'string' } },
          undecided: { type: 'string', description: 'Why the evidence cannot decide the gate (too noisy to decide); such a gate is not passed.' },
        },
      },
      assessment: {
        type: 'object',
        required: ['findings', 'gates', 'verdict'],
        additionalProperties: false,
        properties: {
          findings: { type: 'array', items: ref('finding') },
          gates: { type: 'array', items: ref('gate') },
          verdict: {
            type: 'object',
            required: ['productionReady', 'failed', 'staleAcceptances'],
            additionalProperties: false,
            properties: {
              productionReady: { type: 'boolean' },
              failed: { type: 'array', items: { type: 'string' } },
              undecided: { type: 'array', items: { type: 'string' }, description: 'Of `failed`, the gates the evidence could not decide.' },
              staleAcceptances: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
      ...inventorySchema.$defs,
      item: inventorySchema.properties.items!.items as JsonSchema,
      stats: inventorySchema.properties.stats!,
      counts: counts,
      serviceMigration: {
        type: 'object',
        required: ['total', 'rows', 'byLanguage', 'notStarted', 'headline'],
        additionalProperties: false,
        description: "Service by service, when the baseline has services (assess/services.ts): each one's port in each candidate, and the headline.",
        properties: {
          total: { type: 'integer', description: 'Baseline services.' },
          rows: {
            type: 'array',
            items: {
              type: 'object',
              required: ['service', 'language', 'candidates'],
              additionalProperties: false,
              properties: {
                service: { type: 'string' },
                language: { type: 'string' },
                port: { type: 'integer' },
                candidates: {
                  type: 'object',
                  description: 'By candidate system name: the service that ports it there and how much of it.',
                  additionalProperties: {
                    type: 'object',
                    required: ['status', 'ported', 'of', 'percent'],
                    additionalProperties: false,
                    properties: {
                      status: {
                        enum: ['migrated', 'partly', 'not-started'],
                        description:
                          'migrated: its port meets the rule (`rule`; by default every one of its endpoints); partly: a port short of it; not-started: no port.',
                      },
                      service: { type: 'string' },
                      language: { type: 'string' },
                      port: { type: 'integer' },
                      ported: { type: 'integer' },
                      verified: {
                        type: 'integer',
                        description: 'Of the ported endpoints, verified by replay or the end-to-end suite; absent in runs stored before it.',
                      },
                      of: { type: 'integer' },
                      percent: { type: 'number' },
                      bench: ref('serviceBench'),
                    },
                  },
                },
                bench: ref('serviceBench'),
              },
            },
          },
          byLanguage: {
            type: 'array',
            description: 'Per language of the ports, fewest first: baseline services with a port in it, migrated and partly.',
            items: {
              type: 'object',
              required: ['language', 'withPort', 'migrated', 'partly'],
              additionalProperties: false,
              properties: {
                language: { type: 'string' },
                withPort: { type: 'integer' },
                migrated: { type: 'integer' },
                partly: { type: 'integer' },
                endpoints: {
                  type: 'object',
                  description: 'Baseline endpoints ported (and verified) by a candidate in this language, of every baseline endpoint.',
                  required: ['ported', 'verified', 'of', 'percent'],
                  additionalProperties: false,
                  properties: { ported: { type: 'integer' }, verified: { type: 'integer' }, of: { type: 'integer' }, percent: { type: 'number' } },
                },
              },
            },
          },
          notStarted: { type: 'integer' },
          headline: { type: 'string', description: '`Rust 2 + Go 3 of 15 services`.' },
          rule: {
            type: 'object',
            description: 'What `migrated` required (config `services.migrated`); absent in runs stored before it (then: every endpoint).',
            required: ['ported', 'verified', 'text'],
            additionalProperties: false,
            properties: {
              ported: { type: 'number', minimum: 0, maximum: 1 },
              verified: { type: 'number', minimum: 0, maximum: 1 },
              text: { type: 'string', description: '`every endpoint in the port`.' },
            },
          },
          endpoints: {
            type: 'object',
            description: "By candidate name: its endpoints over the baseline's, and inside the services it ports.",
            additionalProperties: {
              type: 'object',
              required: ['ported', 'verified', 'of', 'percent', 'inPorted', 'extra'],
              additionalProperties: false,
              properties: {
                language: { type: 'string', description: "The language of the candidate's services, when they share one." },
                ported: { type: 'integer' },
                verified: { type: 'integer' },
                of: { type: 'integer' },
                percent: { type: 'number' },
                inPorted: {
                  type: 'object',
                  required: ['services', 'ported', 'of', 'percent', 'missing'],
                  additionalProperties: false,
                  properties: {
                    services: { type: 'integer' },
                    ported: { type: 'integer' },
                    of: { type: 'integer' },
                    percent: { type: 'number' },
                    missing: { type: 'integer' },
                  },
                },
                extra: { type: 'integer', description: 'Candidate endpoints that port no baseline endpoint.' },
              },
            },
          },
          combined: {
            type: 'object',
            description: 'Baseline endpoints present in at least one candidate.',
            required: ['ported', 'of', 'percent'],
            additionalProperties: false,
            properties: { ported: { type: 'integer' }, of: { type: 'integer' }, percent: { type: 'number' } },
          },
          endpointWord: { enum: ['Routes', 'Endpoints'], description: '`Routes` when every endpoint is an HTTP route.' },
        },
      },
      serviceBench: {
        type: 'object',
        description:
          "What the bench measured of one service: the median req/s over the scenarios that hit its endpoints, and its system's RSS under load when that system is this one service.",
        required: ['rps', 'scenarios'],
        additionalProperties: false,
        properties: { rps: { type: 'number' }, scenarios: { type: 'array', items: { type: 'string' } }, rssMb: { type: 'number' } },
      },
      gapSeverity: {
        enum: ['critical', 'high', 'medium', 'low', 'none'],
        description:
          "How serious what is missing is (assess/gap.ts): critical when a whole capability, WebSocket or SSE endpoint, service or table is missing, high below 50% ported or with divergent items, medium below 90%, low from 90%, none when complete; a component's and the run's are the most severe over the candidates. Not the plan's priority.",
      },
      summary: {
        type: 'object',
        required: [...counts.required, 'total', 'percent', 'byKind'],
        properties: {
          ...counts.properties,
          total: { type: 'integer', minimum: 0 },
          percent: { type: 'number', minimum: 0, maximum: 100 },
          verifiedPercent: { type: 'number', minimum: 0, maximum: 100, description: 'verified / total, in percent, one decimal (assess/verified.ts).' },
          status: {
            enum: ['complete', 'partial', 'not-started', 'excluded', 'empty'],
            description: 'What the figures make of it (assess/status.ts): complete when every baseline item is there and none diverges.',
          },
          gapSeverity: ref('gapSeverity'),
          unresolved: {
            type: 'integer',
            minimum: 0,
            description: 'Baseline endpoints whose path is partly unknown: counted in total and as missing, so percent is a lower bound.',
          },
          byKind: { type: 'object', additionalProperties: ref('counts') },
          missingKeys: { type: 'array', items: { type: 'string' } },
          consequences: {
            type: 'integer',
            minimum: 0,
            description:
              'Replayed routes whose every difference is a likely consequence of an earlier refused write (accepted by one side only): not counted in divergent.',
          },
        },
        additionalProperties: false,
      },
      system: {
        type: 'object',
        required: ['name', 'role', 'source', 'sourceKind', 'frameworks', 'stats', 'items', 'diagnostics'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          role: { enum: ['baseline', 'candidate', 'peer'] },
          source: { type: 'string' },
          sourceKind: { enum: ['tree', 'openapi', 'inventory', 'url'] },
          frameworks: { type: 'array', items: { type: 'string' } },
          stats: ref('stats'),
          items: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
          unresolved: { type: 'integer', minimum: 0, description: 'Endpoints whose path is partly unknown (not counted in items).' },
          packages: { type: 'array', items: ref('package'), description: 'In a tree of services: its packages that are no service (UIs, libraries).' },
          diagnostics: { type: 'array', items: ref('diagnostic') },
          runtime: {
            type: 'object',
            description: 'The routes the running system registered (route tap) or documented (OpenAPI), against the scan.',
            required: ['via', 'frameworks', 'routes', 'confirmed', 'scanMissed', 'notSeen', 'resolved', 'notes'],
            additionalProperties: false,
            properties: {
              via: { type: 'array', items: { enum: ['tap', 'openapi'] } },
              frameworks: { type: 'array', items: { type: 'string' } },
              openapi: { type: 'string' },
              routes: { type: 'integer', minimum: 0 },
              confirmed: { type: 'integer', minimum: 0 },
              scanMissed: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['method', 'path', 'key', 'via'],
                  additionalProperties: false,
                  properties: {
                    method: { type: 'string' },
                    path: { type: 'string' },
                    key: { type: 'string' },
                    via: { enum: ['tap', 'openapi'] },
                    framework: { type: 'string' },
                  },
                },
              },
              notSeen: {
                type: 'array',
                items: { type: 'object', required: ['key'], additionalProperties: false, properties: { key: { type: 'string' }, source: ref('source') } },
              },
              resolved: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['from', 'to'],
                  additionalProperties: false,
                  properties: { from: { type: 'string' }, to: { type: 'string' } },
                },
              },
              notes: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
      cell: {
        type: 'object',
        required: ['status', 'candidate'],
        additionalProperties: false,
        properties: {
          status,
          candidate: nullableItem,
          via: { enum: ['key', 'map', 'any-method', 'sole-service', 'service-rename', 'naming', 'join-table'] },
          rule: { type: 'string' },
          column: ref('columnComparison'),
          notPorted: ref('capabilityUse'),
        },
      },
      columnComparison: {
        type: 'object',
        description: 'A baseline column and its candidate column compared: database types, nullability, foreign keys.',
        required: ['baselineType', 'candidateType', 'compatibility'],
        additionalProperties: false,
        properties: {
          baselineType: { type: 'string' },
          candidateType: { type: 'string' },
          compatibility: ref('typeCompatibility'),
          nullable: { enum: ['loosened', 'tightened'] },
          foreignKey: {
            type: 'object',
            required: ['sameTarget', 'sameOnDelete', 'sameOnUpdate'],
            additionalProperties: false,
            properties: {
              baseline: ref('foreignKey'),
              candidate: ref('foreignKey'),
              sameTarget: { type: 'boolean' },
              sameOnDelete: { type: 'boolean' },
              sameOnUpdate: { type: 'boolean' },
            },
          },
        },
      },
      typeCompatibility: { enum: ['same', 'widening', 'zone', 'narrowing', 'different', 'unknown'] },
      schemaFigures: {
        type: 'object',
        description: 'The database schema of one candidate against the baseline: tables, columns by type compatibility, nullability, foreign keys.',
        required: ['tables', 'columns', 'nullable', 'foreignKeys'],
        additionalProperties: false,
        properties: {
          tables: counted(['baseline', 'candidate', 'paired', 'byNaming', 'byJoinTable', 'missing', 'extra']),
          columns: counted(['baseline', 'candidate', 'paired', 'missing', 'extra', 'same', 'widening', 'zone', 'narrowing', 'different', 'unknown']),
          nullable: counted(['paired', 'differing']),
          foreignKeys: counted(['baseline', 'candidate', 'paired', 'sameTarget', 'sameOnDelete', 'sameOnUpdate', 'missing']),
        },
      },
      capabilityUse: {
        type: 'object',
        description:
          'How far a system goes with a capability: used (called on a path a route or job reaches), unreached (called only where none reaches), constructed (a client built, never called), imported (nothing more), with the sites that show it.',
        required: ['level', 'at'],
        additionalProperties: false,
        properties: {
          level: { enum: ['used', 'unreached', 'constructed', 'imported'] },
          at: { type: 'array', items: { type: 'object', required: ['file', 'line'], properties: { file: { type: 'string' }, line: { type: 'integer' } } } },
        },
      },
      pair: {
        type: 'object',
        required: ['kind', 'key', 'component', 'status', 'baseline', 'candidate', 'candidateSystem'],
        additionalProperties: false,
        properties: {
          kind: { type: 'string' },
          key: { type: 'string' },
          component: { type: 'string' },
          status,
          baseline: nullableItem,
          candidate: nullableItem,
          candidateSystem: { type: 'string' },
          via: { enum: ['key', 'map', 'any-method', 'sole-service', 'service-rename', 'naming', 'join-table'] },
          rule: { type: 'string' },
          reason: { type: 'string' },
          impact: { type: 'string' },
          column: ref('columnComparison'),
          notPorted: ref('capabilityUse'),
          matrix: { type: 'object', additionalProperties: ref('cell') },
        },
      },
      nearMiss: {
        type: 'object',
        required: ['kind', 'baseline', 'candidate', 'candidateSystem', 'reason', 'suggestion'],
        additionalProperties: false,
        properties: {
          kind: { type: 'string' },
          baseline: ref('item'),
          candidate: ref('item'),
          candidateSystem: { type: 'string' },
          reason: { type: 'string' },
          suggestion: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } },
        },
      },
      platformMatrix: {
        type: 'object',
        description: 'Which system has which item, over the baseline, the candidates and the peers (three systems or more, or any peer).',
        required: ['systems', 'rows', 'shared', 'only', 'baseline', 'withBaseline'],
        additionalProperties: false,
        properties: {
          systems: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'role'],
              additionalProperties: false,
              properties: { name: { type: 'string' }, role: { enum: ['baseline', 'candidate', 'peer'] } },
            },
          },
          rows: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kind', 'key', 'display', 'component', 'in', 'count'],
              additionalProperties: false,
              properties: {
                kind: { type: 'string' },
                key: { type: 'string' },
                display: { type: 'string' },
                component: { type: 'string' },
                in: { type: 'array', items: { type: 'string' }, description: 'The systems that have it.' },
                count: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
                as: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
              },
            },
          },
          shared: { type: 'integer', minimum: 0, description: 'Rows every system has.' },
          only: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'By system: rows only it has.' },
          baseline: {
            type: 'object',
            required: ['rows', 'shared', 'percent'],
            additionalProperties: false,
            properties: {
              rows: { type: 'integer', minimum: 0 },
              shared: { type: 'integer', minimum: 0 },
              percent: { type: 'number', minimum: 0, maximum: 100 },
            },
          },
          withBaseline: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
        },
      },
      component: {
        type: 'object',
        required: ['name', 'candidates'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, candidates: { type: 'object', additionalProperties: ref('summary') }, gapSeverity: ref('gapSeverity') },
      },
    },
  }
}

/** `parity features`: a feature's items and its status per candidate. */
function featureSchema(): JsonSchema {
  const keys = { type: 'array', items: { type: 'string' } }
  return {
    type: 'object',
    required: ['name', 'items', 'excluded', 'candidates'],
    properties: {
      name: { type: 'string' },
      component: { type: 'string' },
      proposed: { const: true },
      reason: { type: 'string' },
      items: {
        type: 'array',
        items: { type: 'object', required: ['pattern', 'keys'], properties: { pattern: { type: 'string' }, keys }, additionalProperties: false },
      },
      excluded: keys,
      candidates: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          required: ['status', 'present', 'total', 'verified', 'missing', 'divergent'],
          properties: {
            status: { enum: ['verified', 'complete', 'partial', 'missing'] },
            present: { type: 'integer', minimum: 0 },
            total: { type: 'integer', minimum: 0 },
            verified: { type: 'integer', minimum: 0 },
            missing: keys,
            divergent: keys,
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  }
}

/** `parity plan`: ranked components with the factors behind their scores, and the platform matrix. */
function planSchema(): JsonSchema {
  const level = { enum: ['high', 'medium', 'low'] }
  const factor = {
    type: 'object',
    required: ['name', 'value', 'weight', 'contribution', 'reason'],
    properties: {
      name: { type: 'string' },
      value: { type: 'number' },
      weight: { type: 'number', minimum: 0 },
      contribution: { type: 'number' },
      reason: { type: 'string' },
    },
    additionalProperties: false,
  }
  const suggestion = {
    type: 'object',
    required: ['language', 'rule', 'reason'],
    properties: {
      language: { enum: ['rust', 'go', 'typescript', 'python', 'keep'] },
      rule: { type: 'string' },
      reason: { type: 'string' },
      candidate: { type: 'string', description: 'The candidate that receives it.' },
      passedOver: { type: 'array', items: { type: 'string' }, description: 'Rules that matched first but name a language that is not a target.' },
    },
    additionalProperties: false,
  }
  const progress = {
    type: 'object',
    required: ['ported', 'missing', 'total'],
    properties: {
      ported: { type: 'number', minimum: 0, maximum: 100 },
      missing: { type: 'integer', minimum: 0 },
      total: { type: 'integer', minimum: 0 },
      port: { type: 'string', description: "In a tree of services: the candidate's service that ports it." },
    },
    additionalProperties: false,
  }
  const entry = {
    type: 'object',
    required: ['rank', 'component', 'ported', 'priority', 'priorityScore', 'risk', 'riskScore', 'effortDays', 'effortFormula', 'factors', 'missing'],
    properties: {
      rank: { type: 'integer', minimum: 1 },
      component: { type: 'string' },
      service: { type: 'string', description: 'In a tree of several services: the baseline service the row is.' },
      ported: { type: 'number', minimum: 0, maximum: 100, description: 'Percent ported in the candidate it is suggested for (else the first).' },
      candidates: { type: 'object', additionalProperties: progress, description: 'How much of it each candidate has.' },
      priority: level,
      priorityScore: { type: 'number' },
      risk: level,
      riskScore: { type: 'number' },
      effortDays: { type: 'number', minimum: 0 },
      effortFormula: { type: 'string' },
      factors: { type: 'array', items: factor },
      missing: { type: 'array', items: { type: 'string' } },
      suggestion,
    },
    additionalProperties: false,
  }
  return {
    type: 'object',
    description: 'What to port next (`parity plan`).',
    required: ['entries', 'weights'],
    properties: {
      entries: { type: 'array', items: entry },
      weights: { type: 'object', additionalProperties: { type: 'number' } },
      targets: {
        type: 'object',
        description: "The languages suggestions choose among: the candidates' own, the config's plan.targets, or every rule language.",
        required: ['languages', 'from'],
        properties: { languages: { type: 'array', items: { type: 'string' } }, from: { enum: ['candidates', 'config', 'rules'] } },
        additionalProperties: false,
      },
      priorityFrom: { enum: ['traffic', 'code'], description: 'What priority rests on: recorded traffic, or what the code shows.' },
      candidates: {
        type: 'array',
        description: 'Every candidate with what is left to port into it, in rank order.',
        items: {
          type: 'object',
          required: ['name', 'next', 'endpointsLeft'],
          properties: {
            name: { type: 'string' },
            language: { type: 'string' },
            migrated: { type: 'integer', minimum: 0 },
            partly: { type: 'integer', minimum: 0 },
            next: { type: 'array', items: { type: 'string' } },
            endpointsLeft: { type: 'integer', minimum: 0 },
          },
          additionalProperties: false,
        },
      },
      packages: {
        type: 'array',
        description: 'Packages without routes (UIs, libraries), each with its own recommendation.',
        items: {
          type: 'object',
          required: ['name', 'root', 'kind', 'language', 'lines', 'usedBy', 'calls', 'suggestion'],
          properties: {
            name: { type: 'string' },
            root: { type: 'string' },
            kind: { enum: ['ui', 'library'] },
            language: { type: 'string' },
            lines: { type: 'integer', minimum: 0 },
            usedBy: { type: 'array', items: { type: 'string' } },
            calls: { type: 'array', items: { type: 'string' } },
            suggestion,
          },
          additionalProperties: false,
        },
      },
      platforms: {
        type: 'array',
        items: {
          type: 'object',
          required: ['component', 'systems', 'shared'],
          properties: {
            component: { type: 'string' },
            systems: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
            shared: { type: 'number', minimum: 0, maximum: 1 },
          },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  }
}

/** `parity status`: one round of checks of the systems and services. */
function statusSchema(): JsonSchema {
  return {
    type: 'object',
    description: 'The last `parity status`: each system and service up or down, its response time, version and port owner.',
    required: ['checkedAt', 'entries'],
    additionalProperties: false,
    properties: {
      checkedAt: { type: 'string' },
      entries: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'kind', 'system', 'role', 'state'],
          additionalProperties: false,
          properties: {
            name: { type: 'string' },
            kind: { enum: ['system', 'service', 'mcp'] },
            system: { type: 'string' },
            role: { enum: ['baseline', 'candidate'] },
            url: { type: 'string' },
            port: { type: 'integer', minimum: 1, maximum: 65535 },
            state: { enum: ['up', 'down', 'on-demand', 'unchecked'] },
            check: { enum: ['http', 'tcp'] },
            path: { type: 'string' },
            httpStatus: { type: 'integer' },
            responseMs: { type: 'number', minimum: 0 },
            version: { type: 'string' },
            versionFrom: { type: 'string' },
            owner: { type: 'string', description: '`<pid> <command>` of the process listening on the port.' },
            note: { type: 'string' },
          },
        },
      },
    },
  }
}
