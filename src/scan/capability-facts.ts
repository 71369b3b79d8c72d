/**
 * What the per-file half of the capability scan hands on: plain data made in the scan workers
 * (capabilities.ts and capability-use.ts), kept on each file's record (resolve.ts). Types only, so
 * that the record can name them without the scan's modules depending on each other in a ring.
 */

/** An import that would confirm a capability in the files a manifest governs (plain data: it goes to the scan workers). */
export interface Want {
  /** The capability's id. */
  cap: string
  /** The import that confirms it. */
  target: string
  /** The import that shows the dependency is used without confirming the capability (`django` for `django.db`). */
  base?: string
  /** Texts of which a file must hold one to be worth parsing for the target. */
  needles: string[]
  /** The same for the base, looked for until the dependency is known to be used. */
  baseNeedles?: string[]
  /** Absent for standard-library modules. */
  manifest?: string
}

/** What one file shows of capabilities, found where the scan parses it (plain data, from a worker). */
export interface CapabilityFileFacts {
  /** Imports of a wanted package: confirming (`base` unset), or only showing its dependency used (`django` for `django.db`). */
  imports: Array<{ cap: string; line: number; manifest?: string; base?: true }>
  /** Confirming string literals and calls the catalog names. */
  sites: Array<{ cap: string; line: number }>
  /** How the file uses what it imports (see capability-use.ts). */
  use?: FileUse
}

/** An import that names a capability's package, as the capability scan found it. */
export interface UseWant {
  /** The capability's id. */
  cap: string
  /** The import path, crate or module that names the package. */
  target: string
}

/** What a file's own imports make it hold and do, found where the file is parsed (a scan worker): plain data. */
export interface FileUse {
  wants: UseWant[]
  /** Values the file holds itself, by name, with their capability: what its importers may inherit. */
  held: Array<[name: string, cap: string]>
  calls: Array<[cap: string, line: number]>
  constructs: Array<[cap: string, line: number]>
}
