// The tile-grid map: one square per prefecture, coloured by its value, with a legend and hover values.
// Where the tiles are too small for a name and a full number in readable text (a phone), each
// shows its value in fewer digits instead (1.2K); styles.css switches by the map's own width.
import { TILES, COLUMNS, ROWS, compactNumber } from './tiles';
import { classBreaks, colourFor, formatNumber, PALETTE } from './format';
import type { RankedPrefecture } from './queries';
import { Label } from './Label';

interface Props {
  ranking: RankedPrefecture[];
  cumulative: boolean;
  unit: string;
  selected: string | null;
  onSelect: (code: string) => void;
}

export function TileMap({ ranking, cumulative, unit, selected, onSelect }: Props) {
  const valueOf = (entry: RankedPrefecture) => (cumulative ? entry.cumulative : entry.value);
  const breaks = classBreaks(ranking.map(valueOf));
  return (
    <figure className="tile-map">
      <div className="tiles" style={{ gridTemplateColumns: `repeat(${COLUMNS}, 1fr)` }}>
        {ranking.map((entry) => {
          const [column, row] = TILES[entry.prefecture.code];
          const value = valueOf(entry);
          const colour = colourFor(value, breaks);
          const dark = PALETTE.indexOf(colour) >= 3;
          return (
            <button
              key={entry.prefecture.code}
              type="button"
              className={`tile${dark ? ' dark' : ''}${selected === entry.prefecture.code ? ' selected' : ''}`}
              style={{ gridColumn: column + 1, gridRow: row + 1, background: colour }}
              data-code={entry.prefecture.code}
              data-value={value}
              title={`${entry.prefecture.name} ${entry.prefecture.nameEn}: ${formatNumber(value)} ${unit}` +
                (entry.rank ? ` (${entry.rank}位 rank ${entry.rank})` : '')}
              aria-label={`${entry.prefecture.name} ${formatNumber(value)}`}
              onClick={() => onSelect(entry.prefecture.code)}
            >
              <span className="tile-name">{entry.prefecture.shortName}</span>
              <span className="tile-value">{formatNumber(value)}</span>
              <span className="tile-short" aria-hidden="true">
                {compactNumber(value)}
              </span>
            </button>
          );
        })}
        <div className="tiles-spacer" style={{ gridColumn: 1, gridRow: ROWS }} />
      </div>
      <figcaption className="legend">
        <span>
          <Label ja={cumulative ? '年度累計' : '単月'} en={cumulative ? 'FY cumulative' : 'month'} /> ({unit})
        </span>
        <ol>
          {breaks.map((upper, i) => (
            <li key={i}>
              <span className="swatch" style={{ background: PALETTE[i] }} />
              {i === 0 ? `≤ ${formatNumber(upper)}` : `${formatNumber(breaks[i - 1] + 1)}–${formatNumber(upper)}`}
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}
