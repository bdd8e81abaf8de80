/**
 * The figures of an A/A run: how many checks failed although both sides were the same version
 * (false alarms), overall and per SLO, and the sentence that states them.
 */
import type { AaCheckFigures, AaFigures } from '../model/aa-figures.js';
import type { StepResult } from '../model/result.js';
import { plural } from './format.js';

/** Counts the false alarms of the windows run. Pure. */
export function aaFigures(steps: readonly StepResult[], seed: number): AaFigures {
  const byName = new Map<string, AaCheckFigures>();
  for (const check of steps.flatMap((s) => s.checks)) {
    let f = byName.get(check.name);
    if (!f) byName.set(check.name, (f = { name: check.name, judged: 0, falseAlarms: 0, noData: 0 }));
    if (check.verdict === 'no-data') f.noData++;
    else {
      f.judged++;
      if (check.verdict === 'fail') f.falseAlarms++;
    }
  }
  const byCheck = [...byName.values()];
  const judged = byCheck.reduce((a, f) => a + f.judged, 0);
  const falseAlarms = byCheck.reduce((a, f) => a + f.falseAlarms, 0);
  return { windows: steps.length, seed, judged, falseAlarms, rate: judged ? falseAlarms / judged : null, byCheck };
}

/** "A/A check: 1 of 20 checks (5.0%) raised a false alarm over 10 windows of v1 against itself (…)". */
export function aaSentence(f: AaFigures, stable: string): string {
  const rate = f.rate === null ? 'none judged' : `${(f.rate * 100).toFixed(1)}%`;
  const per = f.byCheck.map((c) => `${c.name} ${c.falseAlarms}/${c.judged}${c.noData ? `, ${c.noData} no data` : ''}`).join('; ');
  return (
    `A/A check: ${f.falseAlarms} of ${plural(f.judged, 'check')} (${rate}) raised a false alarm over ${plural(f.windows, 'window')} ` +
    `of ${stable} against itself${per ? ` (${per})` : ''}`
  );
}
