import t from 'tap'
import { memoize } from '../../lib/memo.js'

t.test('answers are computed once per input, within the bound, and starting over never changes them', async t => {
  const calls: string[] = []
  const upper = memoize((s: string) => { calls.push(s); return s === 'none' ? undefined : s.toUpperCase() }, 2)
  t.equal(upper('a'), 'A')
  t.equal(upper('a'), 'A')
  t.equal(upper('none'), undefined)
  t.equal(upper('none'), undefined, 'an undefined answer is remembered too')
  t.same(calls, ['a', 'none'])
  t.equal(upper('b'), 'B', 'past the bound the memory starts over')
  t.equal(upper('a'), 'A')
  t.same(calls, ['a', 'none', 'b', 'a'])
})
