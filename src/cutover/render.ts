/** One renderer per gateway, looked up by format. */
import { renderCaddy } from './caddy.js'
import { renderEnvoy } from './envoy.js'
import { renderNginx } from './nginx.js'
import { renderTraefik } from './traefik.js'
import type { CutoverFormat, CutoverPlan, RenderOptions } from './types.js'

export const RENDERERS: Record<CutoverFormat, (plan: CutoverPlan, options?: RenderOptions) => string> = {
  nginx: renderNginx,
  caddy: renderCaddy,
  envoy: renderEnvoy,
  traefik: renderTraefik,
}
