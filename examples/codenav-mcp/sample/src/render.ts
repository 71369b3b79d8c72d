import { Circle, Rectangle, type Shape } from './shapes.js'

export type Renderer = (shape: Shape) => string

export function describe(shape: Shape): string {
  if (shape instanceof Circle) return `circle r=${shape.radius} area=${shape.area().toFixed(2)}`
  if (shape instanceof Rectangle) return `rectangle ${shape.width}x${shape.height} area=${shape.area().toFixed(2)}`
  return `shape area=${shape.area().toFixed(2)}`
}

export function renderAll(shapes: Shape[], render: Renderer = describe): string[] {
  return shapes.map(render)
}
