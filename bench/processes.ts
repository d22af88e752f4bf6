import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/**
 * The servers a benchmark measures run as processes of their own, pinned to CPU 0 when the machine has
 * `taskset`, while the load generator (this process) takes CPU 1: the figures then measure the server,
 * not the two fighting over one core.
 */
export const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url))
const HAS_TASKSET = existsSync('/usr/bin/taskset')

const HAS_CHRT = existsSync('/usr/bin/chrt')

/**
 * Real-time priority (SCHED_FIFO) for the main thread of a process, or back to normal: for the latency
 * runs only, so that what other threads of the machine do on the same CPU does not count as the server's
 * latency (docs/benchmarks.md: on the 2-CPU VM the kernel's memory monitor, kdamond, takes a CPU for 4–7 ms
 * every half second). The main thread only: V8's helper threads at the same priority would run their
 * concurrent marking to the end before the main thread got its CPU back (40–50 ms late sends were seen).
 * A thread at this priority must not spin, or the kernel throttles it. Needs root (CAP_SYS_NICE); false
 * when it could not be set, and the run goes on at normal priority.
 */
export function realtime (pid: number, on: boolean): boolean {
  return HAS_CHRT && spawnSync('chrt', on ? ['-f', '-p', '50', String(pid)] : ['-o', '-p', '0', String(pid)], { stdio: 'ignore' }).status === 0
}

/** Pins every thread of this process (V8's helper threads too, not only the main one) to one CPU. */
export function pinSelf (cpu: number): boolean {
  return HAS_TASKSET && spawnSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0
}

export interface Running {
  child: ChildProcess
  ready: Record<string, unknown>
  /** Every JSON line the process printed, for figures it logs (the index sync). */
  lines: Array<Record<string, unknown>>
  stop: () => Promise<void>
}

export async function start (script: string, args: string[], env: Record<string, string>, cpu?: number): Promise<Running> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to the servers, for profiling them.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(a => a !== '')
  const command = cpu !== undefined && HAS_TASKSET ? 'taskset' : process.execPath
  const argv = cpu !== undefined && HAS_TASKSET ? ['-c', String(cpu), process.execPath, ...nodeArgs, script, ...args] : [...nodeArgs, script, ...args]
  const child = spawn(command, argv, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: Array<Record<string, unknown>> = []
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', code => reject(new Error(`${script} ${args.join(' ')} exited with ${String(code)} before it was ready`)))
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', line => {
      let parsed: Record<string, unknown>
      try {
        parsed = JSON.parse(line) as Record<string, unknown>
      } catch {
        return
      }
      lines.push(parsed)
      if (parsed.msg === 'ready') resolve(parsed)
    })
  })
  return {
    child,
    ready,
    lines,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** Waits until a process prints a line that `match` accepts. */
export async function waitForLine (running: Running, match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = running.lines.find(match)
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error('timed out waiting for a log line')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
