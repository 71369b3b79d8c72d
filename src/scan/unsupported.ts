/**
 * Nothing dropped without a word: a manifest that names a web framework no route extractor reads
 * gets a FRAMEWORK_NOT_SUPPORTED diagnostic naming it, so that an inventory with few or no routes
 * says why instead of looking complete.
 */
import type { Extractor, Manifest } from '../extractors/types.js'
import type { LanguageFamily } from '../languages/types.js'
import type { Diagnostic } from '../model/inventory.js'

/** Web frameworks people serve HTTP with, by the dependency that declares them (a Go module path also matches its `/vN`). */
const WEB_FRAMEWORKS: Record<LanguageFamily, Array<[dependency: string, name: string]>> = {
  js: [
    ['express', 'Express'],
    ['fastify', 'Fastify'],
    ['koa', 'Koa'],
    ['hono', 'Hono'],
    ['@nestjs/core', 'NestJS'],
    ['next', 'Next.js'],
    ['@hapi/hapi', 'hapi'],
    ['hapi', 'hapi'],
    ['@tinyhttp/app', 'tinyhttp'],
    ['restify', 'restify'],
    ['sails', 'Sails'],
    ['@adonisjs/core', 'AdonisJS'],
    ['@feathersjs/feathers', 'Feathers'],
    ['polka', 'Polka'],
    ['micro', 'micro'],
    ['h3', 'h3'],
    ['elysia', 'Elysia'],
    ['@loopback/rest', 'LoopBack'],
    ['moleculer-web', 'Moleculer Web'],
    ['@remix-run/node', 'Remix'],
    ['nuxt', 'Nuxt'],
  ],
  rust: [
    ['axum', 'axum'],
    ['actix-web', 'actix-web'],
    ['rocket', 'Rocket'],
    ['warp', 'warp'],
    ['poem', 'poem'],
    ['tide', 'tide'],
    ['salvo', 'Salvo'],
    ['gotham', 'Gotham'],
    ['ntex', 'ntex'],
    ['rouille', 'rouille'],
    ['trillium', 'Trillium'],
  ],
  go: [
    ['github.com/gin-gonic/gin', 'gin'],
    ['github.com/labstack/echo', 'echo'],
    ['github.com/go-chi/chi', 'chi'],
    ['github.com/gofiber/fiber', 'Fiber'],
    ['github.com/gorilla/mux', 'gorilla/mux'],
    ['github.com/julienschmidt/httprouter', 'httprouter'],
    ['github.com/beego/beego', 'Beego'],
    ['github.com/astaxie/beego', 'Beego'],
    ['github.com/kataras/iris', 'Iris'],
    ['github.com/zeromicro/go-zero', 'go-zero'],
    ['github.com/gogf/gf', 'GoFrame'],
    ['github.com/go-kit/kit', 'go-kit'],
    ['github.com/fasthttp/router', 'fasthttp/router'],
    ['github.com/revel/revel', 'Revel'],
    ['github.com/go-martini/martini', 'Martini'],
    ['github.com/emicklei/go-restful', 'go-restful'],
  ],
  python: [
    ['fastapi', 'FastAPI'],
    ['flask', 'Flask'],
    ['django', 'Django'],
    ['djangorestframework', 'Django REST framework'],
    ['starlette', 'Starlette'],
    ['aiohttp', 'aiohttp'],
    ['litestar', 'Litestar'],
    ['sanic', 'Sanic'],
    ['tornado', 'Tornado'],
    ['falcon', 'Falcon'],
    ['pyramid', 'Pyramid'],
    ['bottle', 'Bottle'],
    ['quart', 'Quart'],
    ['cherrypy', 'CherryPy'],
    ['robyn', 'Robyn'],
    ['masonite', 'Masonite'],
    ['responder', 'Responder'],
    ['hug', 'hug'],
    ['connexion', 'Connexion'],
  ],
}

/** A FRAMEWORK_NOT_SUPPORTED diagnostic per web framework a manifest names that no route extractor reads. */
export function unsupportedFrameworks(manifests: readonly Manifest[], extractors: readonly Extractor[]): Diagnostic[] {
  const out: Diagnostic[] = []
  const supported = new Map<string, boolean>()
  for (const manifest of manifests) {
    if (manifest.file === null) continue
    const routeExtractors = extractors.filter((x) => x.family === manifest.family && (x.provides ?? ['routes']).includes('routes'))
    for (const [dependency, name] of WEB_FRAMEWORKS[manifest.family]) {
      const declared = [...manifest.dependencies].find((d) => d === dependency || (manifest.family === 'go' && d.startsWith(`${dependency}/v`)))
      if (!declared) continue
      const id = `${manifest.family}:${declared}`
      if (!supported.has(id)) {
        const alone: Manifest = { family: manifest.family, file: manifest.file, dependencies: new Set([declared]) }
        const none: Manifest = { family: manifest.family, file: manifest.file, dependencies: new Set() }
        // An extractor that is always on (net/http, the standard library) says nothing of this framework.
        supported.set(
          id,
          routeExtractors.some((x) => x.detect(alone) && !x.detect(none)),
        )
      }
      if (supported.get(id)) continue
      out.push({
        level: 'warn',
        code: 'FRAMEWORK_NOT_SUPPORTED',
        file: manifest.file,
        message: `${manifest.file} names ${name} (\`${declared}\`), a web framework parity does not read: its routes are not in this inventory`,
      })
    }
  }
  return out
}
