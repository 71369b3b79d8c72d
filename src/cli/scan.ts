import { loadExtractors } from '../extractors/load.js'
import { ParityError } from '../model/errors.js'
import { renderInventoryTable } from '../report/inventory-table.js'
import { scanPath } from '../scan/scan.js'
import { parseSize } from '../model/size.js'
import { numberFlag, parseCommandArgs, secondsFlag, tableOrJson } from './args.js'
import type { Command } from './command.js'
import { emit } from './output.js'
import { createProgress } from './progress.js'

const HELP = `Usage: parity scan <path> [options]

List every HTTP route, WebSocket and SSE endpoint of a source tree (TypeScript/JavaScript, Rust,
Go, Python) or of an OpenAPI 3.x / Swagger 2.0 document, with full paths and source locations.

Options:
  --format table|json   output format (default: table); json follows schema/inventory.schema.json
  --out FILE            write the output to FILE instead of stdout
  --max-file-size SIZE  skip larger files (default: 2mb)
  --extractor MODULE    load an extractor of your own (repeatable); it exports \`extractor\`
  --jobs N              worker threads for parsing (default: cores, at most 4; 1 = none, except
                        that extractors of your own always run in a worker, which can be stopped)
  --file-timeout S      seconds one file may take (default 20); in a worker a file past it is
                        stopped and skipped (SCAN_FILE_TIMEOUT), in one thread it is reported
  --follow-external-links
                        follow symlinks that lead outside the folder (default: not followed)
  -h, --help            show this help
`

export const scanCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs('scan', argv, {
    format: { type: 'string', default: 'table' },
    out: { type: 'string' },
    'max-file-size': { type: 'string' },
    extractor: { type: 'string', multiple: true },
    jobs: { type: 'string' },
    'file-timeout': { type: 'string' },
    'follow-external-links': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const format = tableOrJson('scan', values.format)
  if (positionals.length !== 1) {
    throw new ParityError('USAGE', positionals.length ? 'scan takes one path' : 'scan needs a path', 'run `parity scan <folder|openapi.yaml>`')
  }
  const path = positionals[0]!
  const extractorModules = values.extractor ?? []
  await loadExtractors(extractorModules) // fail early, with the contract's message, before any work
  const jobs = numberFlag('jobs', values.jobs, { min: 1, integer: true })
  if (jobs !== undefined && jobs > 64)
    throw new ParityError('USAGE', `--jobs ${jobs} is more threads than parity uses`, 'use --jobs 1 to stay in one thread, or up to the number of cores')
  const fileTimeout = secondsFlag('file-timeout', values['file-timeout'])
  const progress = createProgress('scanning', io.stderr, io.interactive)
  const inventory = await scanPath({
    path,
    extractorModules,
    ...(jobs ? { jobs } : {}),
    ...(fileTimeout ? { fileBudgetMs: fileTimeout * 1000 } : {}),
    ...(values['follow-external-links'] ? { followExternalLinks: true } : {}),
    ...(values['max-file-size'] ? { maxFileBytes: parseSize('--max-file-size', values['max-file-size']) } : {}),
    onProgress: (done, total) => progress.update(done, total),
  })
  progress.done()
  const output = format === 'json' ? `${JSON.stringify(inventory, null, 2)}\n` : renderInventoryTable(inventory)
  emit(io, output, values.out)
  return 0
}
