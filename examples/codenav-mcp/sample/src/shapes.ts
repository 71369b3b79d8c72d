import { distance, ORIGIN, translate, type Point, type Vector } from './geometry.js'

export interface Shape {
  area(): number
  move(v: Vector): Shape
}

export class Circle implements Shape {
  constructor(readonly center: Point, readonly radius: number) {}

  area(): number {
    return Math.PI * this.radius ** 2
  }

  move(v: Vector): Circle {
    return new Circle(translate(this.center, v), this.radius)
  }
}

export class Rectangle implements Shape {
  constructor(readonly corner: Point, readonly width: number, readonly height: number) {}

  area(): number {
    return this.width * this.height
  }

  move(v: Vector): Rectangle {
    return new Rectangle(translate(this.corner, v), this.width, this.height)
  }
}

export function farthestFromOrigin(shapes: Shape[], centerOf: (s: Shape) => Point): Shape | undefined {
  let best: Shape | undefined
  let bestDistance = -1
  for (const s of shapes) {
    const d = distance(ORIGIN, centerOf(s))
    if (d > bestDistance) {
      best = s
      bestDistance = d
    }
  }
  return best
}
