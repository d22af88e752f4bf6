import t from 'tap'
import { describeTurns, pooledTurns, type TurnsRatio } from '../../bench/cases.js'

const turns = (caseRequests: number, bareRequests: number, perRound: number[]): TurnsRatio =>
  ({ ratio: caseRequests / bareRequests, low: 0, high: 0, caseRequests, bareRequests, bareSeconds: perRound.length, perRound })

t.test('two proxy processes pool into one ratio of all their requests, each process still shown', async t => {
  const fast = turns(84_000, 100_000, [0.8, 0.82, 0.84, 0.86])
  const slow = turns(66_000, 110_000, [0.58, 0.6, 0.62, 0.64])
  const pooled = pooledTurns([fast, slow])
  t.equal(pooled.ratio, 150_000 / 210_000, 'the requests of both over the bare route requests of both')
  t.equal(pooled.perRound.length, 8)
  t.same(pooled.perRound, [0.58, 0.6, 0.62, 0.64, 0.8, 0.82, 0.84, 0.86])
  t.same(pooled.processes, [0.84, 0.6])
  t.equal(describeTurns(pooled), `0.71 measured in turns with the bare route over 2 proxy processes (0.84, 0.60; 8 turns; middle half of the turns ${pooled.low.toFixed(2)}–${pooled.high.toFixed(2)}; the bare route at 26,250 req/s in them)`)
  t.ok(pooled.low >= 0.6 && pooled.low <= 0.64 && pooled.high >= 0.8 && pooled.high <= 0.84, 'the middle half spans both processes')
})

t.test('a single process is described as before', async t => {
  t.equal(describeTurns({ ...turns(70, 100, [0.7]), low: 0.66, high: 0.74 }), '0.70 measured in turns with the bare route (1 turns; middle half of the turns 0.66–0.74; the bare route at 100 req/s in them)')
})
