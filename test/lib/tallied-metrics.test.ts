import t from 'tap'
import { Histogram, Registry } from 'prom-client'
import { TalliedHistogram, talliedCounter } from '../../lib/metrics/tallied.js'

/** Sample lines of a Prometheus text exposition, labels sorted, so that two expositions compare. */
function samples (text: string): string[] {
  return text.split('\n').filter(line => line !== '' && !line.startsWith('#')).map(line => {
    const m = /^([^{ ]+)(?:\{([^}]*)\})? (\S+)$/.exec(line)
    if (m === null) throw new Error(`not a sample line: ${line}`)
    const labels = (m[2] ?? '').split(',').filter(Boolean).sort().join(',')
    return `${m[1] as string}{${labels}} ${m[3] as string}`
  }).sort()
}

const buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5]
// On a bound, past the last bound, zero, and in between: each lands where prom-client puts it.
const observations = [0, 0.0004, 0.001, 0.0011, 0.003, 0.005, 0.02, 0.3, 1, 1.2, 4.9, 5, 7.5, 120]

t.test('a tallied histogram exposes what prom-client\'s histogram exposes for the same observations', async t => {
  const ours = new Registry()
  const theirs = new Registry()
  const tallied = new TalliedHistogram({ name: 'x_seconds', help: 'h', labelNames: ['scenario'] as const, buckets, registry: ours })
  const reference = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['scenario'] as const, buckets, registers: [theirs] })
  const lookup = tallied.labels('lookup')
  const search = tallied.labels('search')
  for (const value of observations) {
    lookup.observe(value)
    reference.labels('lookup').observe(value)
  }
  search.observe(0.002)
  reference.labels('search').observe(0.002)
  t.same(samples(await ours.metrics()), samples(await theirs.metrics()))
  t.match(await ours.metrics(), /# TYPE x_seconds histogram/)
  t.match(await ours.metrics(), /x_seconds_bucket\{le="\+Inf",scenario="lookup"\} 14/)

  // Binding a label set again gives the same series.
  tallied.labels('lookup').observe(0.002)
  reference.labels('lookup').observe(0.002)
  t.same(samples(await ours.metrics()), samples(await theirs.metrics()))
  const withoutExemplars = (metric: unknown): unknown => JSON.parse(JSON.stringify(metric, (key, value: unknown) => key === 'exemplar' ? undefined : value))
  t.same(withoutExemplars((await ours.getMetricsAsJSON())[0]), withoutExemplars((await theirs.getMetricsAsJSON())[0]), 'JSON form too')

  ours.resetMetrics()
  t.match(await ours.metrics(), /x_seconds_count\{scenario="lookup"\} 0/)
  lookup.observe(0.002)
  t.match(await ours.metrics(), /x_seconds_count\{scenario="lookup"\} 1/, 'a series bound before a reset still counts')
  t.throws(() => tallied.labels('a', 'b'), /takes 1 label values, got 2/)
})

t.test('a tallied counter hands its tallies over once, whatever the number of scrapes', async t => {
  const registry = new Registry()
  const { counter, tally } = talliedCounter({ name: 'y_total', help: 'h', labelNames: ['route', 'status'] as const, registry })
  const ok = tally('/a', '200')
  ok.count += 3
  tally('/a', '200').count++
  counter.labels('/a', '500').inc()
  t.match(await registry.metrics(), /y_total\{route="\/a",status="200"\} 4/)
  t.match(await registry.metrics(), /y_total\{route="\/a",status="200"\} 4/, 'a second scrape counts nothing twice')
  ok.count++
  const text = await registry.metrics()
  t.match(text, /y_total\{route="\/a",status="200"\} 5/)
  t.match(text, /y_total\{route="\/a",status="500"\} 1/)
})
