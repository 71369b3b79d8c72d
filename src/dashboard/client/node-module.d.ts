// The client imports model/run.ts for its types only, but run.ts's emptyRun() reads parity's version
// through model/version.ts, which imports node:module: the one Node module the client's typecheck
// (DOM, no Node types) reaches. Declared here so that nothing else of Node can be.
declare module 'node:module' {
  export function createRequire(path: string | URL): (id: string) => unknown
}
