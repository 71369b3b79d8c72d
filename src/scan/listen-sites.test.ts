import { describe, expect, it } from 'vitest'
import { parseSource } from '../languages/parse.js'
import type { LanguageId } from '../languages/types.js'
import { findListenSites, portOfText } from './listen-sites.js'

const family = { typescript: 'js', tsx: 'js', javascript: 'js', rust: 'rust', go: 'go', python: 'python' } as const
const sites = (language: LanguageId, source: string) => findListenSites(family[language], parseSource(language, source).root())
const ports = (language: LanguageId, source: string) => sites(language, source).map((s) => s.port)

describe('portOfText', () => {
  it('reads a port from a number, a host:port or a :port, and nothing else', () => {
    expect(portOfText('8016', 3)).toEqual({ port: 8016, line: 3 })
    expect(portOfText('0.0.0.0:8016', 1)?.port).toBe(8016)
    expect(portOfText(':8016', 1)?.port).toBe(8016)
    expect(portOfText('8016u16', 1)?.port).toBe(8016)
    expect(portOfText('PORT', 1)).toBeUndefined()
    expect(portOfText('0', 1)).toBeUndefined()
    expect(portOfText('70000', 1)).toBeUndefined()
    expect(portOfText('/tmp/app.sock', 1)).toBeUndefined()
  })
})

describe('findListenSites: TypeScript / JavaScript', () => {
  it.each([
    ['app.listen(8016)', 8016],
    ['app.listen(process.env.PORT ?? 8016)', 8016],
    ["app.listen(process.env.PORT || '8016')", 8016],
    ["server.listen(Number(process.env.PORT ?? '8016'), () => {})", 8016],
    ['await app.listen({ port: 8016, host: "0.0.0.0" })', 8016],
    ['const PORT = parseInt(process.env.PORT || "8016", 10)\napp.listen(PORT)', 8016],
    ['const port = 8016\nawait app.listen({ port })', 8016],
    ['const config = { port: 8016 }\napp.listen(config.port)', 8016],
    ['serve({ fetch: app.fetch, port: 8016 })', 8016],
    ['Bun.serve({ port: 8016, fetch })', 8016],
  ])('%s', (source, port) => {
    expect(ports('typescript', source)).toEqual([port])
  })

  it('finds a server whose port is only known at run time, without a port', () => {
    expect(sites('javascript', 'const app = express()\n\napp.listen(process.env.PORT)')).toEqual([{ line: 3 }])
  })

  it('gives the line of the literal a constant holds', () => {
    expect(sites('typescript', 'const PORT = 8016\n\napp.listen(PORT)')).toEqual([{ line: 3, port: 8016, portLine: 1 }])
  })
})

describe('findListenSites: Rust', () => {
  it.each([
    ['let l = tokio::net::TcpListener::bind("0.0.0.0:8016").await.unwrap();', 8016],
    ['let addr = SocketAddr::from(([127, 0, 0, 1], 8016));\nlet l = TcpListener::bind(addr).await?;', 8016],
    ['let addr = SocketAddr::from(([127, 0, 0, 1], 8016));\naxum::Server::bind(&addr).serve(app).await;', 8016],
    ['HttpServer::new(app).bind(("127.0.0.1", 8016))?.run().await', 8016],
    ['warp::serve(routes).run(([127, 0, 0, 1], 8016)).await;', 8016],
    ['let port = std::env::var("PORT").unwrap_or("8016".into());\nlet l = TcpListener::bind(format!("0.0.0.0:{}", port)).await?;', 8016],
    ['let port: u16 = env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8016);\nlet l = TcpListener::bind(format!("0.0.0.0:{port}")).await?;', 8016],
  ])('%s', (body, port) => {
    expect(ports('rust', `async fn main() {\n${body}\n}`)).toContain(port)
  })

  it('does not take a `run()` without an address for a server', () => {
    expect(sites('rust', 'fn main() { tokio::runtime::Runtime::new().unwrap().block_on(app.run()); }')).toEqual([])
  })
})

describe('findListenSites: Go', () => {
  it.each([
    ['http.ListenAndServe(":8016", mux)', 8016],
    ['r.Run(":8016")', 8016],
    ['e.Start("0.0.0.0:8016")', 8016],
    ['app.Listen(":8016")', 8016],
    ['ln, _ := net.Listen("tcp", ":8016")', 8016],
    ['addr := ":8016"\nhttp.ListenAndServe(addr, nil)', 8016],
    ['port := os.Getenv("PORT")\nif port == "" {\nport = "8016"\n}\nr.Run(":" + port)', 8016],
    ['srv := &http.Server{Addr: ":8016", Handler: mux}\nsrv.ListenAndServe()', 8016],
    ['http.ListenAndServe(fmt.Sprintf(":%d", 8016), nil)', 8016],
  ])('%s', (body, port) => {
    expect(ports('go', `package main\n\nfunc main() {\n${body}\n}\n`)).toEqual([port])
  })
})

describe('findListenSites: Python', () => {
  it.each([
    ['uvicorn.run(app, host="0.0.0.0", port=8016)', 8016],
    ['uvicorn.run("app.main:app", port=8016, reload=True)', 8016],
    ['app.run(debug=True, port=8016)', 8016],
    ['app.run(port=int(os.getenv("PORT", "8016")))', 8016],
    ['app.run(port=int(os.environ.get("PORT") or 8016))', 8016],
    ['PORT = 8016\nweb.run_app(app, port=PORT)', 8016],
  ])('%s', (source, port) => {
    expect(ports('python', source)).toEqual([port])
  })

  it('does not take `asyncio.run(main())` for a server', () => {
    expect(sites('python', 'asyncio.run(main())')).toEqual([])
  })
})

describe('findListenSites: a port imported from another file', () => {
  it('follows the import one file deep and names the file of the literal', () => {
    const config = parseSource('typescript', '// defaults\nexport const HTTP_PORT = Number(process.env.PORT ?? 8016)\n').root()
    const main = parseSource('typescript', "import { HTTP_PORT as PORT } from './config'\napp.listen(PORT)\n").root()
    const imported = (name: string) => (name === 'PORT' ? [{ file: 'src/config.ts', root: config, name: 'HTTP_PORT' }] : [])
    expect(findListenSites('js', main, imported)).toEqual([{ line: 2, port: 8016, portLine: 2, portFile: 'src/config.ts' }])
    expect(findListenSites('js', main)).toEqual([{ line: 2 }])
  })
})
