/**
 * The single-file HTML report: one page that opens from disk with no network access. The client
 * (src/dashboard/client/, bundled by the build and shared with the live dashboard) is inlined; the
 * RunResult and History are embedded as JSON and every view is drawn in the browser from them.
 */
import { readFileSync } from 'node:fs'
import { CLIENT_DIR, clientMissing } from '../../dashboard/client-assets.js'
import type { History } from '../../model/history.js'
import type { RunResult } from '../../model/run.js'

/** The id of the `<script type="application/json">` element holding `{ run, history }`. */
export const HTML_DATA_ID = 'parity-data'

interface ClientAssets {
  script: string
  style: string
}

let assets: ClientAssets | undefined

// The client's bundle and style (dashboard/client-assets.ts): static assets, read once.
function loadClient(): ClientAssets {
  if (!assets) {
    try {
      assets = { script: readFileSync(`${CLIENT_DIR}app.js`, 'utf8'), style: readFileSync(`${CLIENT_DIR}style.css`, 'utf8') }
    } catch {
      throw clientMissing()
    }
  }
  return assets
}

/** JSON safe inside a `<script>` element: no `<` (so no `</script>` or `<!--`), no line separators. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function title(run: RunResult): string {
  const baseline = run.systems.find((s) => s.role === 'baseline')?.name ?? 'baseline'
  const candidates = run.systems.filter((s) => s.role === 'candidate').map((s) => s.name)
  return `parity: ${baseline} vs ${candidates.join(', ') || 'nothing'}`
}

/**
 * Renders a RunResult (and the history of runs, for the trend) as one self-contained HTML file:
 * inline CSS and JS, no external resource, views on hash routes (`#/`, `#/matrix`,
 * `#/component/<name>`, `#/behaviour`, `#/performance`, `#/trend`). A pure function of its arguments.
 */
export function renderHtml(run: RunResult, history?: History): string {
  const { script, style } = loadClient()
  const data = embedJson({ run, history: history ?? null })
  // Inlined code must not end its own element early.
  const safeScript = script.replace(/<\/script/gi, '<\\/script')
  const safeStyle = style.replace(/<\/style/gi, '<\\/style')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="parity ${escapeHtml(run.tool.version)}">
<title>${escapeHtml(title(run))}</title>
<style>
${safeStyle}
</style>
</head>
<body>
<div id="app"><noscript>This report needs JavaScript to draw its views; the data is in the page source.</noscript></div>
<script type="application/json" id="${HTML_DATA_ID}">${data}</script>
<script>
${safeScript}
</script>
</body>
</html>
`
}
