/**
 * The pending seq numbers in ascending order. Appends arrive in order and deliveries leave from the front,
 * so both are O(1); a retried dead letter goes back to its place by binary search. Removed seqs stay in
 * the array until the front passes them or they outnumber the members, which keeps removal O(1).
 */
export class SeqQueue {
  private seqs: number[] = []
  private start = 0
  private readonly members = new Set<number>()

  get size (): number {
    return this.members.size
  }

  add (seq: number): void {
    if (this.members.has(seq)) return
    this.members.add(seq)
    const last = this.seqs[this.seqs.length - 1]
    if (last === undefined || seq > last) {
      this.seqs.push(seq)
      return
    }
    const pos = this.lowerBound(seq)
    if (this.seqs[pos] !== seq) this.seqs.splice(pos, 0, seq)
  }

  delete (seq: number): boolean {
    if (!this.members.delete(seq)) return false
    if (this.seqs.length - this.start > 2 * this.members.size + 1024) this.rebuild()
    return true
  }

  first (): number | undefined {
    while (this.start < this.seqs.length) {
      const seq = this.seqs[this.start] as number
      if (this.members.has(seq)) return seq
      this.start++
    }
    if (this.start > 0) {
      this.seqs = []
      this.start = 0
    }
    return undefined
  }

  /** Members in ascending order, at most `limit` of them. */
  values (limit = Infinity): number[] {
    const out: number[] = []
    for (let i = this.start; i < this.seqs.length && out.length < limit; i++) {
      const seq = this.seqs[i] as number
      if (this.members.has(seq) && seq !== out[out.length - 1]) out.push(seq)
    }
    return out
  }

  private lowerBound (seq: number): number {
    let lo = this.start
    let hi = this.seqs.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.seqs[mid] as number) < seq) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private rebuild (): void {
    const kept: number[] = []
    for (let i = this.start; i < this.seqs.length; i++) {
      const seq = this.seqs[i] as number
      if (this.members.has(seq)) kept.push(seq)
    }
    this.seqs = kept
    this.start = 0
  }
}
