import t from 'tap'
import { describePaced, type PacedTurns } from '../../bench/cases.js'
import { pooledLoad, type LoadResult } from '../../bench/load.js'

/** An open-model run of `fast` requests at 0.5 ms and `slow` at `slowMs`, over `seconds`. */
const run = (fast: number, slow: number, slowMs: number, seconds: number): LoadResult => {
  const latencies = Float64Array.from([...Array(fast).fill(0.5), ...Array(slow).fill(slowMs)] as number[]).sort()
  const lags = new Float64Array(fast + slow).fill(0.1)
  return { requests: fast + slow, rps: (fast + slow) / seconds, p50: 0.5, p99: slow >= (fast + slow) / 100 ? slowMs : 0.5, max: slow > 0 ? slowMs : 0.5, errors: 0, non2xx: 1, samples: { latencies, lags, seconds } }
}

t.test('pooled runs give the quantiles of all their requests together', async t => {
  // One turn in a bad stretch (2% of its requests at 9 ms), two calmer ones: the pooled p99 is that of the
  // 15 000 requests, not the mean of the three p99s (3.67 ms) nor the worst (9 ms).
  const pooled = pooledLoad([run(5000, 0, 0, 5), run(4900, 100, 9, 5), run(4940, 60, 1.5, 5)])
  t.equal(pooled.requests, 15_000)
  t.equal(pooled.rps, 1000)
  t.equal(pooled.p99, 1.5, '100 requests at 9 ms and 60 at 1.5 ms: the 150th slowest of 15 000 is at 1.5 ms')
  t.equal(pooled.max, 9)
  t.equal(pooled.p50, 0.5)
  t.equal(pooled.non2xx, 3, 'failures are summed')
  t.equal(pooled.sendLagP99, 0.1)
  t.same(pooled.samples?.latencies.length, 15_000)
})

t.test('the goal line names the pooled p99, the spread of the turns and the bare route in the same turns', async t => {
  const paced: PacedTurns = {
    isolated: true,
    case: pooledLoad([run(5000, 0, 0, 5)]),
    bare: pooledLoad([run(5000, 0, 0, 5)]),
    caseTurnsP99: [0.88, 1.2, 3.05],
    bareTurnsP99: [0.77, 1.99],
    sliceMs: 5000,
    normal: { case: run(5000, 0, 0, 5), bare: run(5000, 0, 0, 5) },
  }
  t.equal(describePaced(paced), '0.50 ms over 3 turns of 5 s with the bare route (turns 0.88–3.05 ms; the bare route 0.50 ms in the same turns, its turns 0.77–1.99 ms)')
})
