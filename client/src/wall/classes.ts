// Class breaks and colours for the choropleth: zero gets its own quiet colour, positive values fall
// into up to five classes with "nice" round upper bounds taken from the values' quantiles, so the
// legend reads 0 · 1–50 · 51–200 ... and stays put while figures grow a little.

/** Dark-to-hot ramp readable on a dark wall; index = class. */
export const classColours = ['#1b4a72', '#1f7a8c', '#3aa676', '#e0b43a', '#f0643c'] as const;
export const zeroColour = '#122238';

function niceCeil(value: number): number {
  if (value <= 10) return Math.max(1, Math.ceil(value));
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const candidate = step * magnitude;
    if (candidate >= value) return candidate;
  }
  return 10 * magnitude;
}

/** Upper bounds (inclusive) of each positive class, increasing; the last one ≥ the largest value. */
export function classBreaks(values: readonly number[], classes = classColours.length): number[] {
  const positive = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (positive.length === 0) return [];
  const breaks: number[] = [];
  for (let i = 1; i <= classes; i += 1) {
    const q = positive[Math.min(positive.length - 1, Math.ceil((i / classes) * positive.length) - 1)] ?? 0;
    const bound = niceCeil(q);
    if (breaks.length === 0 || bound > breaks[breaks.length - 1]!) breaks.push(bound);
  }
  return breaks;
}

/** -1 for zero or missing, else the index of the first break ≥ value. */
export function classOf(value: number | undefined, breaks: readonly number[]): number {
  if (value === undefined || value <= 0 || breaks.length === 0) return -1;
  const index = breaks.findIndex((bound) => value <= bound);
  return index === -1 ? breaks.length - 1 : index;
}

export const colourOf = (cls: number): string => (cls < 0 ? zeroColour : (classColours[Math.min(cls, classColours.length - 1)] ?? zeroColour));

/** Legend rows: [label range, colour]. */
export function legendRows(breaks: readonly number[], format: (n: number) => string): Array<{ from: number; to: number; label: string; colour: string }> {
  const rows = [{ from: 0, to: 0, label: format(0), colour: zeroColour }];
  let from = 1;
  breaks.forEach((to, i) => {
    rows.push({ from, to, label: from === to ? format(to) : `${format(from)} – ${format(to)}`, colour: colourOf(i) });
    from = to + 1;
  });
  return rows;
}
