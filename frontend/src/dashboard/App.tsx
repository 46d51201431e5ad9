// The dashboard: choices at the top, then the map, the ranking, the regional chart and the reports.
import { useEffect, useState } from 'react';
import { CHOICES, OVERVIEW, type Choices, type Overview } from './queries';
import { useQuery } from './useQuery';
import { fiscalYearLabel, monthLabel } from './format';
import { Label } from './Label';
import { TileMap } from './TileMap';
import { Ranking } from './Ranking';
import { RegionChart } from './RegionChart';
import { PrefecturePanel } from './PrefecturePanel';
import { Reports } from './Reports';

type Kind = 'AREA' | 'BUREAU';

export function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem('yorozu-token'));
  const [stored, setStored] = useState(0);
  const choices = useQuery<Choices>(CHOICES, {}, token, stored);
  const [indicator, setIndicator] = useState('onestop.consultations');
  const [fiscalYear, setFiscalYear] = useState<number | null>(null);
  const [month, setMonth] = useState<number | null>(null);
  const [cumulative, setCumulative] = useState(false);
  const [kind, setKind] = useState<Kind>('AREA');
  const [selected, setSelected] = useState<string | null>(null);

  // Start at the latest fiscal year and month with figures; move there again after an upload.
  const years = choices.data?.fiscalYears ?? [];
  const latest = years[years.length - 1];
  useEffect(() => {
    if (!latest) return;
    setFiscalYear(latest.fiscalYear);
    setMonth(latest.months[latest.months.length - 1]);
  }, [latest?.fiscalYear, latest?.months.length]);
  const months = years.find((year) => year.fiscalYear === fiscalYear)?.months ?? [];

  const overview = useQuery<Overview>(
    OVERVIEW,
    fiscalYear && month ? { indicator, fiscalYear, month, cumulative, kind } : null,
    token,
    stored,
  );
  const chosen = choices.data?.indicators.find((entry) => entry.code === indicator);
  const ranking = overview.data?.indicator?.ranking ?? [];

  function changeToken(value: string) {
    sessionStorage.setItem('yorozu-token', value);
    setToken(value || null);
  }

  return (
    <>
      <header>
        <h1>
          <Label ja="よろず支援拠点 相談等実績" en="Yorozu Support Centers: monthly results" />
        </h1>
        <nav>
          <label className="token">
            <Label ja="トークン" en="Token" />
            <input
              name="token"
              type="password"
              autoComplete="off"
              placeholder="Bearer token"
              value={token ?? ''}
              onChange={(event) => changeToken(event.target.value)}
            />
          </label>
          <a href="/graphql">GraphiQL</a>
        </nav>
      </header>
      <form className="choices" onSubmit={(event) => event.preventDefault()}>
        <label>
          <Label ja="指標" en="Indicator" />
          <select name="indicator" value={indicator} onChange={(event) => setIndicator(event.target.value)}>
            {choices.data?.indicators.map((entry) => (
              <option key={entry.code} value={entry.code}>
                {entry.name}
                {entry.nameEn ? ` / ${entry.nameEn}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          <Label ja="年度" en="Fiscal year" />
          <select
            name="fiscalYear"
            value={fiscalYear ?? ''}
            onChange={(event) => {
              const year = years.find((entry) => entry.fiscalYear === Number(event.target.value))!;
              setFiscalYear(year.fiscalYear);
              setMonth(year.months[year.months.length - 1]);
            }}
          >
            {years.map((year) => (
              <option key={year.fiscalYear} value={year.fiscalYear}>
                {fiscalYearLabel(year.fiscalYear)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <Label ja="月" en="Month" />
          <select name="month" value={month ?? ''} onChange={(event) => setMonth(Number(event.target.value))}>
            {months.map((entry) => (
              <option key={entry} value={entry}>
                {monthLabel(entry)}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <label>
            <input type="radio" name="cumulative" checked={!cumulative} onChange={() => setCumulative(false)} />
            <Label ja="単月" en="Month" />
          </label>
          <label>
            <input type="radio" name="cumulative" checked={cumulative} onChange={() => setCumulative(true)} />
            <Label ja="年度累計" en="FY cumulative" />
          </label>
        </fieldset>
      </form>
      {choices.error && <p className="error">{choices.error}</p>}
      {overview.error && <p className="error">{overview.error}</p>}
      {choices.data && years.length === 0 && (
        <p className="empty">
          <Label ja="まだ実績がありません。報告書をアップロードしてください。" en="No figures yet: upload a report." />
        </p>
      )}
      <main>
        <section className="panel map" aria-label="map">
          <h2>
            <Label ja={chosen?.name ?? '地図'} en={chosen?.nameEn ?? 'Map'} />
          </h2>
          <TileMap
            ranking={ranking}
            cumulative={cumulative}
            unit={chosen?.unit ?? ''}
            selected={selected}
            onSelect={setSelected}
          />
        </section>
        {selected && fiscalYear && choices.data && (
          <PrefecturePanel
            code={selected}
            fiscalYear={fiscalYear}
            indicators={choices.data.indicators.map((entry) => entry.code)}
            token={token}
            onClose={() => setSelected(null)}
          />
        )}
        <section className="panel" aria-label="ranking">
          <h2>
            <Label ja="順位" en="Ranking" />
          </h2>
          <Ranking ranking={ranking} cumulative={cumulative} onSelect={setSelected} />
        </section>
        <section className="panel regions" aria-label="regions">
          <h2>
            <Label ja="地域別の推移" en="By region, month by month" />
          </h2>
          <div className="switch" role="group">
            <button type="button" aria-pressed={kind === 'AREA'} onClick={() => setKind('AREA')}>
              <Label ja="8地域" en="8 areas" />
            </button>
            <button type="button" aria-pressed={kind === 'BUREAU'} onClick={() => setKind('BUREAU')}>
              <Label ja="経済産業局" en="METI bureaus" />
            </button>
          </div>
          <RegionChart regions={overview.data?.regions ?? []} cumulative={cumulative} />
        </section>
        <Reports token={token} onStored={() => setStored((n) => n + 1)} />
      </main>
    </>
  );
}
