// Numbers with thousands separators, month labels and the map's colour classes.
const integer = new Intl.NumberFormat('ja-JP');

/** 12,345; a dash where there is no figure. */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : integer.format(value);
}

/** 4 → "4月"; months run April (4) to March (3) in a fiscal year (年度). */
export function monthLabel(month: number): string {
  return `${month}月`;
}

/** 2026 → "令和8年度 FY2026". */
export function fiscalYearLabel(fiscalYear: number): string {
  return `令和${fiscalYear - 2018}年度 FY${fiscalYear}`;
}

/** Five sequential blues, light to dark. */
export const PALETTE = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];

/** Equal-interval classes between the smallest and largest value: the upper bound of each class. */
export function classBreaks(values: number[]): number[] {
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const step = (max - min) / PALETTE.length;
  return PALETTE.map((_, i) => (i === PALETTE.length - 1 ? max : Math.round(min + step * (i + 1))));
}

/** The colour of ``value`` for the given class breaks. */
export function colourFor(value: number, breaks: number[]): string {
  const index = breaks.findIndex((upper) => value <= upper);
  return PALETTE[index === -1 ? PALETTE.length - 1 : index];
}
