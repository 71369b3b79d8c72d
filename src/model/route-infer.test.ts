import { expect, it } from 'vitest'
import { inferTemplate } from './route-infer.js'

it('infers templates from id-like segments', () => {
  expect(inferTemplate('/api/bookmarks/42?x=1')).toBe('/api/bookmarks/{id}')
  expect(inferTemplate('/api/u/0f8fad5b-d9cb-469f-a165-70867728950e/posts')).toBe('/api/u/{id}/posts')
  expect(inferTemplate('/api/o/507f1f77bcf86cd799439011')).toBe('/api/o/{id}')
  expect(inferTemplate('/api/bookmarks/recent')).toBe('/api/bookmarks/recent')
  expect(inferTemplate('/')).toBe('/')
})
