/**
 * Markdown as the vault writes it: table cells, code spans, tables, wikilinks and percentages, the
 * same in every page and section.
 */

/** Text for a Markdown table cell: `|` escaped, on one line. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

/** A code span; a backtick inside becomes `'` (the vault's code spans hold keys, paths and gates). */
export function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``
}

/** A Markdown table: the head, a rule, the rows (cells already escaped). */
export function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)]
}

/** `[[target|alias]]`; inside a table the pipe is escaped, as Obsidian expects. */
export function wikilink(target: string, alias?: string, inTable = false): string {
  if (!alias || alias === target) return `[[${target}]]`
  return `[[${target}${inTable ? '\\|' : '|'}${alias}]]`
}

/** `37.5%`. */
export function pct(n: number): string {
  return `${n}%`
}
