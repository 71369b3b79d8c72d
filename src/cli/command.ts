/**
 * What every command is: a leaf module that the commands import and that imports none of them, so
 * that `main.ts` (which loads the commands) and the commands form no cycle.
 */
import type { Style } from '../report/style.js'

export interface CommandIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** True when progress may be drawn on stderr (a TTY, not CI). */
  interactive: boolean
  /** Colour for stdout (plain when not a TTY, with NO_COLOR, in CI). */
  style?: Style
  /** True when stdout is a terminal (a report that is a file is not printed there). */
  stdoutTTY?: boolean
  /** Colour for stderr. */
  errStyle?: Style
}

export type Command = (argv: string[], io: CommandIo) => Promise<number>
