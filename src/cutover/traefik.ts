/**
 * The plan as Traefik v3 dynamic configuration (file provider, YAML): a router per route with an
 * explicit priority (most specific highest), a weighted service for a canary.
 * https://doc.traefik.io/traefik/routing/routers/
 */
import { planHeader } from './routing.js'
import type { CutoverPlan, RenderOptions } from './types.js'
import { yamlString } from './yaml.js'

export function renderTraefik(plan: CutoverPlan, _options: RenderOptions = {}): string {
  const out: string[] = planHeader(plan).map((l) => `# ${l}`)
  out.push('# Traefik v3 dynamic configuration (file provider); the routers attach to every entryPoint of the static configuration.', '')
  out.push('http:', '  routers:')
  const top = plan.routes.length + 1
  plan.routes.forEach((r, i) => {
    const rule = `${r.method === 'ALL' ? '' : `Method(\`${r.method}\`) && `}PathRegexp(\`${r.regex}\`)`
    const service = r.to === 'baseline' ? 'parity-baseline' : r.weight === undefined ? 'parity-candidate' : 'parity-canary'
    out.push(`    # ${r.method} ${r.path} -> ${r.to}: ${r.reason}${r.websocket ? ' (a WebSocket: its upgrade is a GET; Traefik passes it through)' : ''}`)
    out.push(
      `    parity-route-${String(i + 1).padStart(3, '0')}:`,
      `      rule: ${yamlString(rule)}`,
      `      priority: ${top - i + 1}`,
      `      service: ${service}`,
    )
  })
  out.push(
    '    # anything not listed above: the baseline',
    '    parity-default:',
    `      rule: ${yamlString('PathPrefix(`/`)')}`,
    '      priority: 1',
    '      service: parity-baseline',
  )
  out.push('  services:')
  out.push(`    parity-baseline:  # ${plan.baseline.name}`, '      loadBalancer:', '        servers:', `        - url: ${yamlString(plan.baseline.url)}`)
  out.push(`    parity-candidate:  # ${plan.candidate.name}`, '      loadBalancer:', '        servers:', `        - url: ${yamlString(plan.candidate.url)}`)
  if (plan.canary !== undefined) {
    out.push(`    parity-canary:  # ${plan.canary}% to the candidate, the rest to the baseline`, '      weighted:', '        services:')
    out.push(
      `        - name: parity-candidate`,
      `          weight: ${plan.canary}`,
      `        - name: parity-baseline`,
      `          weight: ${100 - plan.canary}`,
    )
  }
  out.push('')
  return out.join('\n')
}
