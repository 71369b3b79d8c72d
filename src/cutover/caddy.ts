/**
 * The plan as a Caddyfile: one `route` block, whose handlers run in the order written (most
 * specific first); a `reverse_proxy` ends the request, the last one sends the rest to the baseline.
 * https://caddyserver.com/docs/caddyfile/directives/route
 */
import { planHeader } from './routing.js'
import type { CutoverPlan, RenderOptions } from './types.js'

export function renderCaddy(plan: CutoverPlan, options: RenderOptions = {}): string {
  const port = options.port ?? 8080
  const out: string[] = planHeader(plan).map((l) => `# ${l}`)
  out.push('# Check it with `caddy validate --config FILE --adapter caddyfile`.')
  if (plan.canary !== undefined) out.push('# Canary weights use `lb_policy weighted_round_robin` (Caddy 2.8 or later).')
  out.push('', '{', '\tadmin off', '}', '', `${options.runtimeDir ? '127.0.0.1' : ''}:${port} {`, '\troute {')
  plan.routes.forEach((r, i) => {
    const name = `@r${i + 1}`
    out.push(`\t\t# ${r.method} ${r.path} -> ${r.to}: ${r.reason}${r.websocket ? ' (a WebSocket: its upgrade is a GET; reverse_proxy passes it through)' : ''}`)
    out.push(`\t\t${name} {`)
    if (r.method !== 'ALL') out.push(`\t\t\tmethod ${r.method}`)
    out.push(`\t\t\tpath_regexp \`${r.regex}\``, '\t\t}')
    if (r.to === 'baseline') out.push(`\t\treverse_proxy ${name} ${plan.baseline.hostPort}`)
    else if (r.weight === undefined) out.push(`\t\treverse_proxy ${name} ${plan.candidate.hostPort}`)
    else {
      out.push(`\t\treverse_proxy ${name} ${plan.candidate.hostPort} ${plan.baseline.hostPort} {`)
      out.push(`\t\t\tlb_policy weighted_round_robin ${r.weight} ${100 - r.weight}`, '\t\t}')
    }
  })
  out.push('\t\t# anything not listed above: the baseline', `\t\treverse_proxy ${plan.baseline.hostPort}`, '\t}', '}', '')
  return out.join('\n')
}
