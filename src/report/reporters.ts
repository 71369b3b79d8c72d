/**
 * Reporters by name, as vitest looks its reporters up: each renders a RunResult (plus History for
 * trends) with a pure function; this module only decides where the output goes. Heavy renderers
 * load only when asked for.
 */
import { accessSync, appendFileSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import type { History } from '../model/history.js'
import { ParityError } from '../model/errors.js'
import type { RunResult } from '../model/run.js'

export const REPORT_FORMATS = ['md', 'html', 'json', 'junit', 'github'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export function isReportFormat(f: string): f is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(f)
}

/**
 * Check, before any work, that a report can be written: a folder for `md` (created if missing), a
 * file in an existing writable folder otherwise.
 */
export function checkWritable(format: ReportFormat, out: string): void {
  const folder = format === 'md' ? out : dirname(out)
  try {
    if (format === 'md' && existsSync(out) && !statSync(out).isDirectory()) throw new Error('it is a file, not a folder')
    mkdirSync(folder, { recursive: true })
    accessSync(folder, constants.W_OK)
  } catch (e) {
    throw new ParityError(
      'OUTPUT_NOT_WRITABLE',
      `cannot write the ${format} report to ${out}: ${(e as Error).message}`,
      'choose a folder you can write to (reports in the config are relative to it)',
    )
  }
}

export interface ReportOutput {
  /** What to print on stdout (a report without a file, or GitHub annotations). */
  stdout: string
  /** Files and folders written. */
  written: string[]
}

/** Render `run` in `format`, to `out` when given (a folder for md), else to stdout. */
export async function writeReport(
  format: ReportFormat,
  run: RunResult,
  history: History | undefined,
  out?: string,
  /** `sourceRoot`: the folder system sources are relative to (the config's), for links from the vault. */
  options: { githubStepSummary?: string; sourceRoot?: string } = {},
): Promise<ReportOutput> {
  const written: string[] = []
  const toFile = (text: string): string => {
    if (!out) return text
    writeFileSync(out, text)
    written.push(out)
    return ''
  }
  switch (format) {
    case 'json':
      return { stdout: toFile(`${JSON.stringify(run, null, 2)}\n`), written }
    case 'html': {
      const { renderHtml } = await import('./html/render.js')
      return { stdout: toFile(renderHtml(run, history)), written }
    }
    case 'junit': {
      const { renderJunit } = await import('./junit.js')
      return { stdout: toFile(renderJunit(run)), written }
    }
    case 'md': {
      if (!out) throw new ParityError('USAGE', 'the md report is a folder of pages', 'pass --out FOLDER')
      const { renderVault } = await import('./markdown/vault.js')
      const { writeVault } = await import('./markdown/write.js')
      writeVault(out, renderVault(run, history, { sourceBase: relative(out, options.sourceRoot ?? process.cwd()) || '.' }))
      written.push(out)
      return { stdout: '', written }
    }
    case 'github': {
      const { renderGithubAnnotations, renderGithubSummary } = await import('./github.js')
      const summary = renderGithubSummary(run)
      const annotations = renderGithubAnnotations(run).join('\n')
      // In GitHub Actions the summary goes to the step summary file and annotations to the log.
      const summaryFile = out ?? options.githubStepSummary
      if (summaryFile) {
        appendFileSync(summaryFile, summary)
        written.push(summaryFile)
        return { stdout: annotations ? `${annotations}\n` : '', written }
      }
      return { stdout: `${summary}\n${annotations ? `${annotations}\n` : ''}`, written }
    }
  }
}
