import { ParityError } from '../model/errors.js'
import type { Command } from './main.js'

// Replaced by the history store's command (issue 4, in progress).
export const historyCommand: Command = async () => {
  throw new ParityError('NOT_READY', 'parity history is not available yet', 'use parity diff')
}
