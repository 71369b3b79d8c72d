import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ParityError } from '../model/errors.js'
import type { CommandIo } from './command.js'

/** A command's output: to `--out FILE` (said on stderr) or to stdout. */
export function emit(io: CommandIo, output: string, out: string | undefined): void {
  if (!out) {
    io.stdout(output)
    return
  }
  try {
    writeFileSync(resolve(out), output)
  } catch (e) {
    throw new ParityError('WRITE_ERROR', `cannot write ${out}: ${(e as Error).message}`, 'choose a path in a folder that exists and is writable')
  }
  io.stderr(`wrote ${out}\n`)
}
