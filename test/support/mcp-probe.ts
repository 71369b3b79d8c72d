/** Connect, probe and close one MCP server: what the tests of the probe need from one call. */
import { connectMcp, describeSpec } from '../../src/mcp/client.js'
import { probeConnected } from '../../src/mcp/probe.js'
import type { McpProbe, McpTransportSpec } from '../../src/model/mcp.js'

/** Connect, probe, close. */
export async function probeMcp(spec: McpTransportSpec, opts: { timeoutMs: number }): Promise<McpProbe> {
  const conn = await connectMcp(spec, opts)
  try {
    return await probeConnected(conn, describeSpec(spec), opts.timeoutMs)
  } finally {
    await conn.close()
  }
}
