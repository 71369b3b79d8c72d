/** Folders of code that is not the system itself: tests, their fixtures, and example apps. */
const NOT_SERVED = new Set(['test', 'tests', '__tests__', 'testdata', 'e2e', 'fixtures', '__fixtures__', 'examples'])

/**
 * Tests, their fixtures and example apps say what they use, not what the service does: they add no
 * routes and confirm no capability (the folder scanned is never itself skipped: paths are relative to it).
 */
export function isTestFile(path: string): boolean {
  const segments = path.split('/')
  const name = segments.pop()!
  if (segments.some((s) => NOT_SERVED.has(s))) return true
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(name) || name.endsWith('_test.go') || /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(name)
}
