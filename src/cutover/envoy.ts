/**
 * The plan as an Envoy v3 static bootstrap (YAML): one virtual host whose routes are tried in
 * order (most specific first), a `:method` header matcher per route, `weighted_clusters` for a canary.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto
 */
import { planHeader } from './routing.js'
import type { CutoverPlan, RenderOptions, Upstream } from './types.js'
import { yamlString } from './yaml.js'

function cluster(name: string, u: Upstream): string[] {
  const colon = u.hostPort.lastIndexOf(':')
  return [
    `  - name: ${name}  # ${u.name}`,
    '    type: STRICT_DNS',
    '    connect_timeout: 5s',
    '    load_assignment:',
    `      cluster_name: ${name}`,
    '      endpoints:',
    '      - lb_endpoints:',
    `        - endpoint: { address: { socket_address: { address: ${yamlString(u.hostPort.slice(0, colon).replace(/^\[|\]$/g, ''))}, port_value: ${u.hostPort.slice(colon + 1)} } } }`,
  ]
}

export function renderEnvoy(plan: CutoverPlan, options: RenderOptions = {}): string {
  const port = options.port ?? 8080
  const out: string[] = planHeader(plan).map((l) => `# ${l}`)
  out.push('# Check it with `envoy --mode validate -c FILE`.', '')
  out.push(
    'static_resources:',
    '  listeners:',
    '  - name: parity_cutover',
    `    address: { socket_address: { address: ${options.runtimeDir ? '127.0.0.1' : '0.0.0.0'}, port_value: ${port} } }`,
    '    filter_chains:',
    '    - filters:',
    '      - name: envoy.filters.network.http_connection_manager',
    '        typed_config:',
    "          '@type': type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
    '          stat_prefix: parity_cutover',
    '          upgrade_configs: [{ upgrade_type: websocket }]',
    '          http_filters:',
    '          - name: envoy.filters.http.router',
    "            typed_config: { '@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }",
    '          route_config:',
    '            name: parity_cutover',
    '            virtual_hosts:',
    '            - name: parity_cutover',
    "              domains: ['*']",
    '              routes:',
  )
  for (const r of plan.routes) {
    out.push(`              # ${r.method} ${r.path} -> ${r.to}: ${r.reason}${r.websocket ? ' (a WebSocket: its upgrade is a GET)' : ''}`)
    out.push('              - match:', `                  safe_regex: { regex: ${yamlString(r.regex)} }`)
    if (r.method !== 'ALL') out.push(`                  headers: [{ name: ':method', string_match: { exact: ${r.method} } }]`)
    if (r.to === 'baseline') out.push('                route: { cluster: parity_baseline }')
    else if (r.weight === undefined) out.push('                route: { cluster: parity_candidate }')
    else
      out.push(
        `                route: { weighted_clusters: { clusters: [{ name: parity_candidate, weight: ${r.weight} }, { name: parity_baseline, weight: ${100 - r.weight} }] } }`,
      )
  }
  out.push(
    '              # anything not listed above: the baseline',
    '              - match: { prefix: / }',
    '                route: { cluster: parity_baseline }',
  )
  out.push('  clusters:', ...cluster('parity_baseline', plan.baseline), ...cluster('parity_candidate', plan.candidate), '')
  return out.join('\n')
}
