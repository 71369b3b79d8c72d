/**
 * How a reporter marks text for a terminal: the CLI hands in a `Style` that colours (`cli/style.ts`
 * decides when), files and pipes get `PLAIN`, which returns every text unchanged.
 */
export interface Style {
  enabled: boolean
  ok(text: string): string
  bad(text: string): string
  warn(text: string): string
  dim(text: string): string
  bold(text: string): string
}

const same = (text: string) => text

export const PLAIN: Style = { enabled: false, ok: same, bad: same, warn: same, dim: same, bold: same }
