#!/usr/bin/env node
import { AppError } from '../lib/errors.js'
import { ProfileError } from '../lib/profiles/load.js'
import { CliUsageError } from './usage.js'
import { serveCommand } from './serve.js'

const COMMANDS: Record<string, { summary: string, run: (argv: string[]) => Promise<void> }> = {
  serve: { summary: 'run the proxy (what npm start runs)', run: serveCommand },
  emulator: { summary: 'run the built-in 1C OData emulator', run: async argv => { await (await import('./emulator.js')).emulatorCommand(argv) } },
  demo: { summary: 'run the emulator with demo data and the proxy against it', run: async argv => { await (await import('./demo.js')).demoCommand(argv) } },
  template: { summary: 'print the 3CX CRM template', run: async argv => { await (await import('./template.js')).templateCommand(argv) } },
  check: { summary: 'check the 1C publication before 3CX rings', run: async argv => { await (await import('./check.js')).checkCommand(argv) } },
}

const help = `Usage: 3cx-1c-bridge <command> [flags]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

Run "3cx-1c-bridge <command> --help" for the flags of a command.`

async function main (argv: string[]): Promise<void> {
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(`${help}\n`)
    return
  }
  const command = COMMANDS[name]
  if (command === undefined) throw new CliUsageError(`Unknown command "${name}".\n\n${help}`)
  await command.run(rest)
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof CliUsageError) {
    process.stderr.write(`${err.message}\n`)
    process.exitCode = err.exitCode
    return
  }
  if (err instanceof ProfileError) {
    // A wrong PROFILE is a wrong setting: exit 2, which the systemd unit does not restart on.
    process.stderr.write(`${err.message}\n`)
    process.exitCode = 2
    return
  }
  if (err instanceof AppError) {
    // A start-up refusal an administrator acts on (another proxy holds DATA_DIR): the words, not a stack.
    process.stderr.write(`${err.code}: ${err.message}${err.hint === undefined ? '' : `\n${err.hint}`}\n`)
    process.exitCode = 1
    return
  }
  const e = err as { code?: string, message?: string }
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    process.stderr.write(`${e.message ?? String(err)}\n`)
    process.exitCode = 2
    return
  }
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
