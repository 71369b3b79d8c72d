import { existsSync } from 'node:fs'
import { findConfig, loadConfig } from '../config/load.js'
import { ParityError } from '../model/errors.js'
import { normalizePath, routeKey } from '../model/path.js'
import { renderItems, renderItemTimeline, renderTrend } from '../report/history-table.js'
import { DEFAULT_HISTORY_FILE, openHistory, type HistoryStore } from '../store/history.js'
import { parseCommandArgs } from './args.js'
import type { Command } from './command.js'

const HELP = `Usage: parity history [options]

The trend over the runs stored by \`parity run\` (date, git commit, ported %, verified %, counts per
status, gates), then per item when it was first ported and when its status last changed.

Options:
  --store FILE   the history file (default: the config's \`history\`, else ${DEFAULT_HISTORY_FILE})
  --item KEY     the life of one item: its status in every run (\`GET /api/users/{id}\`, \`table users\`)
  --json         print the history as JSON (runs and items, oldest run first)
  -h, --help     show this help
`

/** The stored key for what a person typed: `GET /api/users/:id` and `GET /api/users/{id}` find `GET /api/users/{}`. */
function resolveKey(store: HistoryStore, typed: string): string {
  const key = typed.trim()
  if (store.timeline(key).length) return key
  const space = key.indexOf(' ')
  const path = key.slice(space + 1)
  if (space > 0 && path.startsWith('/')) {
    const route = routeKey(key.slice(0, space), normalizePath(path))
    if (store.timeline(route).length) return route
  }
  throw new ParityError(
    'UNKNOWN_ITEM',
    `no item \`${typed}\` in the stored runs`,
    'run `parity history` to list the items, and copy a key from the Item column',
  )
}

export const historyCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs('history', argv, {
    store: { type: 'string' },
    item: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  if (positionals.length)
    throw new ParityError('USAGE', `history takes no arguments (got ${positionals.join(' ')})`, 'pass the file with --store FILE and an item with --item KEY')
  // --store, else the config's `history` (as `parity run` writes it), else the default.
  const config = values.store === undefined ? findConfig(process.cwd()) : undefined
  const file = values.store ?? (config ? (await loadConfig(config)).historyFile : DEFAULT_HISTORY_FILE)
  // Reading never creates a store.
  if (!existsSync(file)) throw new ParityError('NO_HISTORY', `no history at ${file}`, '`parity run` records one; or pass the file with --store FILE')
  const store = openHistory(file)
  try {
    const history = store.history()
    const typed = values.item
    if (typed !== undefined) {
      const key = resolveKey(store, typed)
      const timeline = store.timeline(key)
      if (values.json) io.stdout(`${JSON.stringify({ key, items: history.items.filter((i) => i.key === key), timeline }, null, 2)}\n`)
      else io.stdout(renderItemTimeline(history, key, timeline))
      return 0
    }
    if (values.json) {
      io.stdout(`${JSON.stringify(history, null, 2)}\n`)
      return 0
    }
    if (!history.runs.length) {
      io.stdout(`No runs stored in ${file} yet: \`parity run\` appends one each time.\n`)
      return 0
    }
    // Columns follow their tables: the item table lists the rest, `--item` shows any key.
    const items = history.items.filter((i) => !i.key.startsWith('column '))
    const hidden = history.items.length - items.length
    io.stdout(
      `History: ${file}, ${history.runs.length} run${history.runs.length === 1 ? '' : 's'}, oldest first\n\n${renderTrend(history)}\n` +
        `Items of the latest run${hidden ? ` (${hidden} columns not shown; see one with --item "column TABLE.NAME")` : ''}\n\n${renderItems(history, items)}`,
    )
    return 0
  } finally {
    store.close()
  }
}
