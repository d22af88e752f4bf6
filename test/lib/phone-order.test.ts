import t from 'tap'
import { orderByPhone, orderByPhoneSliced } from '../../lib/phone-index/order.js'

/** The order a sealed table is searched in: by number, rows of one number in row (owner) order. */
function expected (phones: Float64Array): number[] {
  return [...phones.keys()].sort((a, b) => ((phones[a] as number) - (phones[b] as number)) || (a - b))
}

t.test('the same order as a comparator sort, ties in row order, across the whole E.164 range', async t => {
  let seed = 7
  const random = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31 }
  const phones = new Float64Array(50_000)
  for (let i = 0; i < phones.length; i++) {
    // Russian numbers, short foreign ones, the largest 15-digit ones, and many repeats.
    const pick = random()
    phones[i] = pick < 0.5 ? 74950000000 + Math.floor(random() * 2000) : pick < 0.8 ? Math.floor(random() * 1e9) : 999_999_999_999_999 - Math.floor(random() * 3)
  }
  t.same([...orderByPhone(phones, phones.length)], expected(phones))
  t.same([...orderByPhone(new Float64Array([5, 3, 5, 1, 3]), 5)], [3, 1, 4, 0, 2])
  t.same([...orderByPhone(new Float64Array([9, 1, 2]), 2)], [1, 0], 'only the first `rows` entries')
  t.same([...orderByPhone(new Float64Array(0), 0)], [])
})

t.test('a value that is not an E.164 number is refused, not misplaced', async t => {
  t.throws(() => orderByPhone(new Float64Array([1, -5]), 2), RangeError)
  t.throws(() => orderByPhone(new Float64Array([1.5]), 1), RangeError)
  t.throws(() => orderByPhone(new Float64Array([2 ** 50]), 1), RangeError)
})

t.test('sliced: the same order, with a pause between the steps for the event loop', async t => {
  const phones = new Float64Array([74951234567, 79161112233, 74951234567, 375291234567, 1234567])
  let pauses = 0
  const sliced = await orderByPhoneSliced(phones, phones.length, async () => { pauses++ })
  t.same([...sliced], [...orderByPhone(phones, phones.length)])
  t.equal(pauses, 5, 'after splitting the numbers and after each of the four passes')
})
