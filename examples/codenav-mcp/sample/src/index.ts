import { ORIGIN, translate } from './geometry.js'
import { describe, renderAll } from './render.js'
import { Circle, Rectangle, farthestFromOrigin } from './shapes.js'

const shapes = [new Circle(ORIGIN, 2), new Rectangle(translate(ORIGIN, { x: 3, y: 4 }), 2, 5)]
const far = farthestFromOrigin(shapes, (s) => (s instanceof Circle ? s.center : (s as Rectangle).corner))

console.log(renderAll(shapes).join('\n'))
if (far) console.log(`farthest: ${describe(far)}`)
