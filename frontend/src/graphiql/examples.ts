// The example queries of docs/queries/, bundled at build time (the tests run the same files).
const files = import.meta.glob<string>('../../../docs/queries/*.graphql', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export interface Example {
  /** File name without `.graphql`, e.g. `prefecture_map`. */
  name: string;
  /** The file's leading comment: what the query is for. */
  summary: string;
  query: string;
}

export const examples: Example[] = Object.entries(files)
  .map(([path, query]) => ({
    name: path.split('/').pop()!.replace(/\.graphql$/, ''),
    summary: (query.match(/^(#.*\n)+/)?.[0] ?? '').replace(/^#\s?/gm, '').replace(/\s+/g, ' ').trim(),
    query,
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The default tab: a small query that shows the API's shape and returns something at once. */
export const welcome = `# yorozu-stats, offline. ▶ or Ctrl-Enter runs the query.
# The examples of docs/queries/: the other tabs, or 例 (left).
query Welcome($indicator: String! = "onestop.consultations", $fiscalYear: Int! = 2026) {
  fiscalYears { fiscalYear months }
  indicator(code: $indicator) {
    name
    nameEn
    unit
    ranking(fiscalYear: $fiscalYear, month: 4) {
      rank
      value
      prefecture { code name nameEn }
    }
  }
}
`;
