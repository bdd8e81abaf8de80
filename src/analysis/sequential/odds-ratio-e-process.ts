/**
 * The core of both sequential tests: an anytime-valid test of the odds ratio ψ of two proportions,
 * fed a stream of 2×2 tables (one a second: canary events of canary trials, stable events of stable
 * trials). Each table is judged conditionally on its margins, as in Fisher's exact test: given the
 * total m of events in the table, the canary's count x follows Fisher's noncentral hypergeometric law
 *
 *   P_ψ(x | m, n_c, n_s) = C(n_c, x) C(n_s, m − x) ψ^x / Z(ψ),   Z(ψ) = Σ_y C(n_c, y) C(n_s, m − y) ψ^y,
 *
 * whatever the two base rates are, so the nuisance (the stable's rate, which may drift from second to
 * second, and the traffic split) drops out exactly. The e-process is a mixture, over a discrete prior
 * π on ψ on one side of the null value ψ₀, of the products of per-table likelihood ratios:
 *
 *   E_t = Σ_k π_k Π_{s ≤ t} P_{ψ_k}(x_s | ·) / P_{ψ₀}(x_s | ·).
 *
 * Under ψ = ψ₀ each factor has conditional mean 1, so E is a nonnegative martingale with E_0 = 1; for ψ
 * beyond ψ₀ on the null side it is a supermartingale (the law has monotone likelihood ratio in x). By
 * Ville's inequality P(∃t: E_t ≥ 1/α) ≤ α. This is the conditional log-odds e-process of Turner, Ly and
 * Grünwald (2021, arXiv 2106.02693), with a half-normal mixture on log ψ as in the mSPRT of Johari et al.
 */
import { halfNormalGrid, mixture } from './half-normal-prior.js';

/** Options of {@link createOddsRatioEProcess}. */
export interface OddsRatioEProcessOptions {
  /** ψ₀: the odds ratio (canary over stable) at the null's edge. @default 1 */
  nullOddsRatio?: number;
  /** `greater`: the alternative is ψ > ψ₀ (canary worse); `less`: ψ < ψ₀. @default 'greater' */
  side?: 'greater' | 'less';
  /** Scale τ of the half-normal prior on |log ψ − log ψ₀| (its grid spans 0..4τ). @default 1 */
  priorScale?: number;
  /** Grid points of the prior. @default 32 */
  gridPoints?: number;
}

/** An e-process on a stream of 2×2 tables. */
export interface OddsRatioEProcess {
  /** Multiplies in one table: `x` events of `n` canary trials, `y` events of `m` stable trials. */
  update(x: number, n: number, y: number, m: number): number;
  /** The same for a table already built by {@link hypergeometricTable} (shared by several processes), with its canary count `x`. */
  updateTable(table: HypergeometricTable | null, x: number): number;
  /** The e-value now. */
  eValue(): number;
}

/** Creates the e-process; see the file's comment. */
export function createOddsRatioEProcess(options: OddsRatioEProcessOptions = {}): OddsRatioEProcess {
  const psi0 = options.nullOddsRatio ?? 1;
  const tau = options.priorScale ?? 1;
  const k = options.gridPoints ?? 32;
  if (!(psi0 > 0)) throw new RangeError('nullOddsRatio must be > 0');
  const sign = (options.side ?? 'greater') === 'greater' ? 1 : -1;
  const { effects, logWeights } = halfNormalGrid(tau, k);
  const logPsi0 = Math.log(psi0);
  const logPsi = effects.map((u) => logPsi0 + sign * u);
  // log Π of the likelihood ratios, one per grid point.
  const logLr = new Float64Array(k);
  const logZk = new Float64Array(k);
  let current = 1;
  const updateTable = (table: HypergeometricTable | null, x: number): number => {
    if (!table) return current; // one possible table: no evidence either way
    const logZ0 = table.logPartition(logPsi0);
    for (let j = 0; j < k; j++) logZk[j] = table.logPartition(logPsi[j]!);
    for (let j = 0; j < k; j++) logLr[j]! += x * (logPsi[j]! - logPsi0) - (logZk[j]! - logZ0);
    current = mixture(logLr, logWeights);
    return current;
  };
  return {
    update: (x, n, y, m) => updateTable(hypergeometricTable(x, n, y, m), x),
    updateTable,
    eValue: () => current,
  };
}

/** One table's conditional law, up to what cancels in likelihood ratios. */
export interface HypergeometricTable {
  /** log Z(ψ) − log[C(n, lo) C(m, k − lo)] at log ψ = `logPsi` (Z of the file's comment). */
  logPartition(logPsi: number): number;
}

/**
 * The conditional law of a table with `x` of `n` canary and `y` of `m` stable events given its
 * margins, or null when the margins allow one table only (it carries no evidence). Throws on a table
 * that cannot be.
 */
export function hypergeometricTable(x: number, n: number, y: number, m: number): HypergeometricTable | null {
  const ok = (e: number, t: number) => Number.isInteger(e) && Number.isInteger(t) && e >= 0 && t >= e;
  if (!ok(x, n) || !ok(y, m)) throw new RangeError(`a table needs integers 0 ≤ events ≤ trials, got ${x}/${n} and ${y}/${m}`);
  const events = x + y;
  const lo = Math.max(0, events - m);
  const hi = Math.min(n, events);
  if (hi === lo) return null;
  const logTerms = hypergeometricLogTerms(lo, hi, n, m, events);
  let maxTerm = -Infinity;
  for (const t of logTerms) maxTerm = Math.max(maxTerm, t);
  const scaled = logTerms.map((t) => Math.exp(t - maxTerm));
  return { logPartition: (logPsi) => logPartition(logTerms, scaled, maxTerm, lo, logPsi) };
}

/** log C(n, y) C(m, events − y) − the same at y = lo, for y = lo..hi (built by the ratio of neighbours). */
function hypergeometricLogTerms(lo: number, hi: number, n: number, m: number, events: number): Float64Array {
  const out = new Float64Array(hi - lo + 1);
  for (let y = lo; y < hi; y++) {
    out[y - lo + 1] = out[y - lo]! + Math.log(((n - y) * (events - y)) / ((y + 1) * (m - events + y + 1)));
  }
  return out;
}

/**
 * log Σ_y exp(logTerms[y − lo] + y·logPsi). The terms are scaled to at most 1 once per table
 * (`scaled`), and each ψ costs one Horner pass without exp; only when ψ^(width) could overflow
 * does it fall back to a log-sum-exp.
 */
function logPartition(logTerms: Float64Array, scaled: Float64Array, maxTerm: number, lo: number, logPsi: number): number {
  const width = logTerms.length - 1;
  if (Math.abs(logPsi) * width < 600) {
    const psi = Math.exp(logPsi);
    let s = scaled[width]!;
    for (let i = width - 1; i >= 0; i--) s = s * psi + scaled[i]!;
    return maxTerm + lo * logPsi + Math.log(s);
  }
  let max = -Infinity;
  for (let i = 0; i <= width; i++) max = Math.max(max, logTerms[i]! + (lo + i) * logPsi);
  let sum = 0;
  for (let i = 0; i <= width; i++) sum += Math.exp(logTerms[i]! + (lo + i) * logPsi - max);
  return max + Math.log(sum);
}
