/**
 * One live line per stage of `parity run` on a terminal: what it is doing and for how long
 * (`⠹ replay  12/39 exchanges  3.1 s`), replaced by the stage's result line when the next one starts
 * (`✓ replay  4.2 s`). Silent when not interactive (a pipe, a file, CI): the summary says it all.
 */
import type { CommandIo } from './command.js'
import { PLAIN, type Style } from '../report/style.js'
import { duration } from '../model/words.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export interface StageLine {
  /** A stage starts, by the title a person reads. */
  stage(name: string): void
  detail(text: string): void
  progress(done: number, total: number, unit: string): void
  /** Ends the current stage with its result line. */
  end(): void
}

export function stageLine(io: CommandIo, style: Style = PLAIN, now: () => number = Date.now): StageLine {
  if (!io.interactive) return { stage() {}, detail() {}, progress() {}, end() {} }
  let current: string | undefined
  let started = 0
  let text = ''
  let frame = 0
  let timer: NodeJS.Timeout | undefined
  const draw = () => {
    if (!current) return
    frame = (frame + 1) % FRAMES.length
    io.stderr(`\r\x1b[2K${style.dim(FRAMES[frame]!)} ${current}${text ? `  ${text}` : ''}  ${style.dim(duration(now() - started))}`)
  }
  const end = () => {
    if (!current) return
    io.stderr(`\r\x1b[2K${style.ok('✓')} ${current}  ${style.dim(duration(now() - started))}\n`)
    current = undefined
    text = ''
    if (timer) clearInterval(timer)
    timer = undefined
  }
  return {
    stage(name) {
      end()
      current = name
      started = now()
      timer = setInterval(draw, 120)
      timer.unref()
      draw()
    },
    detail(t) {
      text = t
    },
    progress(done, total, unit) {
      text = `${done}/${total} ${unit}`
    },
    end,
  }
}
