import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { AppError } from '../lib/errors.js'
import { buildTemplate } from '../lib/template/index.js'
import { CliUsageError } from './usage.js'

export const templateHelp = `Usage: 3cx-1c-bridge template --public-url URL [--version 20|18] [--agent-last-name] [--no-answered-time] [--out FILE]

Prints the 3CX CRM template for a proxy that 3CX reaches at URL (the same XML the proxy serves at
/3cx/template.xml). Upload it in 3CX: v20 Admin Console → Integrations → CRM; v18 Management Console →
Settings → CRM Integration → Server Side.

  --public-url URL   how 3CX reaches the proxy, e.g. https://bridge.example.local:8443 (default: $PUBLIC_URL)
  --version 20|18    3CX version (v18 gets no SearchContacts); default 20
  --agent-last-name  send the agent as "[AgentFirstName] [AgentLastName]" in ReportCall (default: first name only)
  --no-answered-time leave [CallEstablishedTimeUTC] out of ReportCall (if a real PBX rejects the variable)
  --out FILE         write to FILE instead of standard output
  -h, --help         this text`

export async function templateCommand (argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { 'public-url': { type: 'string' }, version: { type: 'string' }, 'agent-last-name': { type: 'boolean' }, 'no-answered-time': { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  })
  if (values.help === true) {
    process.stdout.write(`${templateHelp}\n`)
    return
  }
  const publicUrl = values['public-url'] ?? process.env.PUBLIC_URL
  if (publicUrl === undefined || publicUrl === '') throw new CliUsageError(`--public-url is required.\n\n${templateHelp}`)
  const version = values.version === undefined ? 20 : Number(values.version)
  if (version !== 18 && version !== 20) throw new CliUsageError(`--version must be 18 or 20, not "${values.version ?? ''}".`)
  let xml: string
  try {
    xml = buildTemplate({ publicUrl, tcxVersion: version, includeAgentLastName: values['agent-last-name'] === true, sendAnsweredTime: values['no-answered-time'] !== true })
  } catch (err) {
    if (err instanceof AppError) throw new CliUsageError(`--public-url: ${err.message}`)
    throw err
  }
  if (values.out !== undefined) writeFileSync(values.out, xml)
  else process.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`)
}
