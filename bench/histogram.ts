/**
 * A small HDR-style histogram of latencies in microseconds: exact below 128 µs, then 64 linear
 * sub-buckets per power of two (≤ 1.6 % error), up to ~35 minutes. Mergeable across processes
 * (`toJSON` / `fromJSON` carry only the non-empty buckets).
 */

const SUB = 64;
const LINEAR = 2 * SUB;
const MAX_EXP = 31;
const SIZE = LINEAR + (MAX_EXP - 7 + 1) * SUB;

export interface HistogramJson {
  buckets: Array<[number, number]>;
  count: number;
  sum: number;
  max: number;
}

function indexOf(us: number): number {
  const v = Math.max(0, Math.min(Math.round(us), 2 ** MAX_EXP - 1));
  if (v < LINEAR) return v;
  const exp = 31 - Math.clz32(v);
  const shift = exp - 6;
  return LINEAR + (exp - 7) * SUB + ((v >>> shift) - SUB);
}

/** The highest value that falls in bucket `i` (what the percentiles report). */
function upperOf(i: number): number {
  if (i < LINEAR) return i;
  const exp = Math.floor((i - LINEAR) / SUB) + 7;
  const sub = ((i - LINEAR) % SUB) + SUB;
  const shift = exp - 6;
  return ((sub + 1) << shift) - 1;
}

export class Histogram {
  #counts = new Float64Array(SIZE);
  #count = 0;
  #sum = 0;
  #max = 0;

  record(us: number): void {
    this.#counts[indexOf(us)]! += 1;
    this.#count += 1;
    this.#sum += us;
    if (us > this.#max) this.#max = us;
  }

  get count(): number {
    return this.#count;
  }

  get max(): number {
    return this.#max;
  }

  get mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  /** The value at percentile `p` (0–100), in µs; 0 when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(upperOf(i), this.#max);
    }
    return this.#max;
  }

  merge(other: Histogram | HistogramJson): void {
    const json = other instanceof Histogram ? other.toJSON() : other;
    for (const [i, n] of json.buckets) this.#counts[i]! += n;
    this.#count += json.count;
    this.#sum += json.sum;
    if (json.max > this.#max) this.#max = json.max;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }

  toJSON(): HistogramJson {
    const buckets: Array<[number, number]> = [];
    for (let i = 0; i < SIZE; i++) if (this.#counts[i]! > 0) buckets.push([i, this.#counts[i]!]);
    return { buckets, count: this.#count, sum: this.#sum, max: this.#max };
  }

  static fromJSON(json: HistogramJson): Histogram {
    const h = new Histogram();
    h.merge(json);
    return h;
  }

  /** p50 / p90 / p99 / max in milliseconds, rounded to µs. */
  summaryMs(): { count: number; p50: number; p90: number; p99: number; max: number; mean: number } {
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: this.#count,
      p50: ms(this.percentile(50)),
      p90: ms(this.percentile(90)),
      p99: ms(this.percentile(99)),
      max: ms(this.#max),
      mean: ms(this.mean),
    };
  }
}
