import { expect, it } from 'vitest'
import { stringShape } from './detectors.js'

it('shapes', () => {
  expect(stringShape('hello world')).toBeUndefined()
  expect(stringShape('application/vnd.something-v2+json')).toBeUndefined()
  expect(stringShape('2024-05-01T10:00:00Z')).toBe(stringShape('2031-12-31T23:59:59Z'))
  expect(stringShape('2024-05-01T10:00:00Z')).not.toBe(stringShape('2024-05-01T10:00:00.000Z'))
})
