export interface Point {
  x: number
  y: number
}

export type Vector = Point

export const ORIGIN: Point = { x: 0, y: 0 }

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}

export function translate(p: Point, v: Vector): Point {
  return { x: p.x + v.x, y: p.y + v.y }
}
