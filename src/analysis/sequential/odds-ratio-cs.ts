/**
 * A confidence sequence for the odds ratio ψ of a stream of 2×2 tables (canary against stable), from
 * the same conditional likelihood as `odds-ratio-e-process.ts`, inverted: C_t = {ψ₀ : E_t(ψ₀) < 1/α},
 * with E_t(ψ₀) the two-sided mixture (the mean of the `greater` and `less` mixtures around ψ₀). For the
 * true ψ, P(∃t: E_t(ψ) ≥ 1/α) ≤ α (Ville), so C_t covers ψ at every t at once with probability ≥ 1 − α
 * (Howard et al. 2021; Turner, Ly, Grünwald, arXiv 2106.02693, §5, for 2×2 tables).
 *
 * All the null values ψ₀ share one lattice of log ψ (step h), and so do the alternatives (ψ₀·e^{±kh}),
 * so one running sum per lattice point, S(g) = Σ_s [x_s g − log Z_s(e^g)], gives every likelihood ratio:
 * Π_s LR_s(e^a vs e^b) = exp(S(a) − S(b)). The interval is the hull of the lattice points not rejected,
 * widened by one step: exact at lattice points, approximate (to h = 5% in ψ) between them. Assumes ψ is
 * the same in every table (the per-second odds ratio does not drift).
 */
import { hypergeometricTable } from './odds-ratio-e-process.js';

/** Options of {@link createOddsRatioConfidenceSequence}. */
export interface OddsRatioConfidenceSequenceOptions {
  /** 1 − confidence. @default 0.01 */
  alpha?: number;
  /** Scale τ of the half-normal mixing prior on |log ψ − log ψ₀| (truncated to 4τ). @default 0.4 */
  priorScale?: number;
  /** Lattice step h in log ψ. @default 0.05 */
  step?: number;
  /** The lattice spans log ψ in [−range, range]; an interval at an edge means "at least / at most this". @default 3 */
  range?: number;
}

/** The running confidence sequence. */
export interface OddsRatioConfidenceSequence {
  /** Adds one table: `x` events of `n` canary trials, `y` of `m` stable trials. */
  update(x: number, n: number, y: number, m: number): void;
  /** The interval for ψ now ([e^−range, e^range] before any evidence). */
  interval(): { lower: number; upper: number; confidence: number };
}

/** Creates the sequence (see the file's comment). */
export function createOddsRatioConfidenceSequence(options: OddsRatioConfidenceSequenceOptions = {}): OddsRatioConfidenceSequence {
  const alpha = options.alpha ?? 0.01;
  const tau = options.priorScale ?? 0.4;
  const h = options.step ?? 0.05;
  const range = options.range ?? 3;
  const points = 2 * Math.round(range / h) + 1;
  const lattice = Float64Array.from({ length: points }, (_, i) => -range + i * h);
  const s = new Float64Array(points);
  // Prior on the offsets k·h, k = 1..K with K·h ≤ 4τ: half-normal weights (renormalised per side at the edges).
  const kMax = Math.max(1, Math.floor((4 * tau) / h));
  const weights = Float64Array.from({ length: kMax + 1 }, (_, k) => (k === 0 ? 0 : Math.exp(-0.5 * ((k * h) / tau) ** 2)));
  const bound = Math.log(1 / alpha);
  return {
    update(x, n, y, m) {
      const table = hypergeometricTable(x, n, y, m);
      if (!table) return;
      for (let i = 0; i < points; i++) s[i]! += x * lattice[i]! - table.logPartition(lattice[i]!);
    },
    interval() {
      let lo = -1;
      let hi = -1;
      for (let i = 0; i < points; i++) {
        if (logTwoSided(i) < bound) {
          if (lo < 0) lo = i;
          hi = i;
        }
      }
      const confidence = 1 - alpha;
      // Every lattice point rejected cannot happen for a valid sequence except with probability ≤ α; say "nowhere".
      if (lo < 0) return { lower: NaN, upper: NaN, confidence };
      return { lower: Math.exp(lattice[Math.max(0, lo - 1)]!), upper: Math.exp(lattice[Math.min(points - 1, hi + 1)]!), confidence };
    },
  };

  /** log of ½(mixture above + mixture below) around lattice point i. */
  function logTwoSided(i: number): number {
    const side = (dir: 1 | -1) => {
      let num = 0;
      let den = 0;
      for (let k = 1; k <= kMax; k++) {
        const j = i + dir * k;
        if (j < 0 || j >= points) break;
        num += weights[k]! * Math.exp(Math.min(700, s[j]! - s[i]!));
        den += weights[k]!;
      }
      return den === 0 ? 1 : num / den;
    };
    return Math.log(0.5 * (side(1) + side(-1)));
  }
}
