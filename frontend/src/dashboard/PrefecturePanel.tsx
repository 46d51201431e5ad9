// A prefecture's panel: its center and website, every indicator's months with the cumulative, case studies.
import { formatNumber, monthLabel } from './format';
import { PREFECTURE, type PrefecturePanel as Data } from './queries';
import { useQuery } from './useQuery';
import { Label } from './Label';

interface Props {
  code: string;
  fiscalYear: number;
  /** Every indicator's code: the panel shows them all. */
  indicators: string[];
  token: string | null;
  onClose: () => void;
}

const FISCAL_ORDER = (month: number) => (month + 8) % 12;

/** Rows of the table: one per indicator, its values by month, and the cumulative at the last month. */
function byIndicator(observations: Data['observations']) {
  const months = [...new Set(observations.map((o) => o.month))].sort((a, b) => FISCAL_ORDER(a) - FISCAL_ORDER(b));
  const rows = new Map<string, { name: string; nameEn: string | null; values: Map<number, number>; cumulative: number }>();
  for (const o of observations) {
    const row = rows.get(o.indicator.code) ?? {
      name: o.indicator.name,
      nameEn: o.indicator.nameEn,
      values: new Map<number, number>(),
      cumulative: 0,
    };
    row.values.set(o.month, o.value);
    if (o.month === months[months.length - 1]) row.cumulative = o.cumulative;
    rows.set(o.indicator.code, row);
  }
  return { months, rows: [...rows.entries()] };
}

export function PrefecturePanel({ code, fiscalYear, indicators, token, onClose }: Props) {
  const { data, error } = useQuery<Data>(PREFECTURE, { code, fiscalYear, indicators }, token);
  const prefecture = data?.prefecture;
  const table = data ? byIndicator(data.observations) : null;
  return (
    <section className="panel prefecture-panel" aria-label="prefecture" data-code={code}>
      <button type="button" className="close" onClick={onClose} aria-label="閉じる close">
        ×
      </button>
      {error && <p className="error">{error}</p>}
      {prefecture && table && (
        <>
          <h2>
            <Label ja={prefecture.name} en={prefecture.nameEn} />
          </h2>
          <p className="center">
            {prefecture.center.url ? (
              <a className="center-link" href={prefecture.center.url} target="_blank" rel="noreferrer">
                {prefecture.center.name}
              </a>
            ) : (
              prefecture.center.name
            )}{' '}
            <small className="en">{prefecture.area.name} {prefecture.area.nameEn}</small>
          </p>
          <div className="scroll">
            <table className="series">
              <thead>
                <tr>
                  <th>
                    <Label ja="指標" en="Indicator" />
                  </th>
                  {table.months.map((month) => (
                    <th key={month}>{monthLabel(month)}</th>
                  ))}
                  <th>
                    <Label ja="累計" en="FY total" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {table.rows.map(([indicator, row]) => (
                  <tr key={indicator} data-indicator={indicator}>
                    <th>
                      <Label ja={row.name} en={row.nameEn} />
                    </th>
                    {table.months.map((month) => (
                      <td key={month} className="number">
                        {formatNumber(row.values.get(month))}
                      </td>
                    ))}
                    <td className="number">{formatNumber(row.cumulative)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>
            <Label ja="支援事例" en={`Case studies (${prefecture.caseStudies.totalCount})`} />
          </h3>
          <ul className="case-studies">
            {prefecture.caseStudies.edges.map(({ node }) => (
              <li key={node.url}>
                <a href={node.url} target="_blank" rel="noreferrer">
                  {node.title}
                </a>{' '}
                <small>
                  {[node.industry, node.publishedOn].filter(Boolean).join(' · ')}
                </small>
              </li>
            ))}
          </ul>
          {prefecture.caseStudyUrl && (
            <p>
              <a href={prefecture.caseStudyUrl} target="_blank" rel="noreferrer">
                <Label ja="支援事例の一覧" en="All case studies" />
              </a>
            </p>
          )}
        </>
      )}
    </section>
  );
}
