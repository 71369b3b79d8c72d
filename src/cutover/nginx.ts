/**
 * The plan as a whole nginx.conf: a `map` on "$request_method $uri" picks the upstream per route
 * (regexes tried in order, most specific first), `split_clients` splits a canary.
 * https://nginx.org/en/docs/http/ngx_http_map_module.html
 */
import { planHeader } from './routing.js'
import type { CutoverPlan, PlannedRoute, RenderOptions } from './types.js'

const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`

function target(r: PlannedRoute): string {
  if (r.to === 'baseline') return 'parity_baseline'
  return r.weight !== undefined ? '$parity_canary' : 'parity_candidate'
}

export function renderNginx(plan: CutoverPlan, options: RenderOptions = {}): string {
  const port = options.port ?? 8080
  const dir = options.runtimeDir
  const out: string[] = planHeader(plan).map((l) => `# ${l}`)
  out.push('# Check it with `nginx -t -c FILE`; prove it with `parity cutover --check --format nginx`.', '')
  if (dir) out.push('daemon off;', 'master_process off;', `pid ${dir}/nginx.pid;`, `error_log ${dir}/error.log warn;`)
  out.push('worker_processes 1;', 'events { worker_connections 1024; }', '', 'http {')
  if (dir) {
    out.push(`  access_log off;`)
    for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) out.push(`  ${t}_temp_path ${dir}/${t}_temp;`)
  }
  out.push(`  upstream parity_baseline { server ${plan.baseline.hostPort}; }  # ${plan.baseline.name}`)
  out.push(`  upstream parity_candidate { server ${plan.candidate.hostPort}; }  # ${plan.candidate.name}`)
  if (plan.canary !== undefined) {
    out.push(`  # Canary: ${plan.canary}% of each moved route's requests to the candidate, picked per request.`)
    out.push(`  split_clients "$request_id" $parity_canary { ${plan.canary}% parity_candidate; * parity_baseline; }`)
  }
  out.push('  map $http_upgrade $parity_connection { default upgrade; "" close; }')
  out.push('  # The method and the path together pick the upstream, so a route is split by method.')
  out.push('  map "$request_method $uri" $parity_upstream {')
  out.push('    default parity_baseline;  # anything not listed below: the baseline')
  for (const r of plan.routes) {
    const method = r.method === 'ALL' ? '[A-Z]+' : r.method
    out.push(`    # ${r.method} ${r.path} -> ${r.to}: ${r.reason}${r.websocket ? ' (a WebSocket: its upgrade is a GET)' : ''}`)
    out.push(`    ${quote(`~^${method} ${r.regex.slice(1)}`)} ${target(r)};`)
  }
  out.push('  }')
  out.push('  server {', `    listen ${dir ? `127.0.0.1:${port}` : port};`, '    location / {')
  out.push('      proxy_pass http://$parity_upstream;')
  out.push('      proxy_http_version 1.1;')
  out.push('      proxy_set_header Host $http_host;')
  out.push('      proxy_set_header Upgrade $http_upgrade;')
  out.push('      proxy_set_header Connection $parity_connection;')
  out.push('      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;')
  out.push('      proxy_pass_header Server;')
  out.push('      proxy_buffering off;')
  out.push('    }', '  }', '}', '')
  return out.join('\n')
}
