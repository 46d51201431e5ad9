// The 47 prefectures in order (順位) for the same choice as the map.
import { formatNumber } from './format';
import type { RankedPrefecture } from './queries';

interface Props {
  ranking: RankedPrefecture[];
  cumulative: boolean;
  onSelect: (code: string) => void;
}

export function Ranking({ ranking, cumulative, onSelect }: Props) {
  return (
    <ol className="ranking">
      {ranking.map((entry) => (
        <li key={entry.prefecture.code} data-code={entry.prefecture.code}>
          <span className="rank">{entry.rank}</span>
          <button type="button" className="link" onClick={() => onSelect(entry.prefecture.code)}>
            {entry.prefecture.name} <small className="en">{entry.prefecture.nameEn}</small>
          </button>
          <span className="number">{formatNumber(cumulative ? entry.cumulative : entry.value)}</span>
        </li>
      ))}
    </ol>
  );
}
