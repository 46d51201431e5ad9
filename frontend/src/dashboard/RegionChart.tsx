// The monthly chart of the 8 areas (地方区分) or the METI bureaus (経済産業局), with chart.js.
import { useEffect, useRef } from 'react';
import Chart from 'chart.js/auto';
import { formatNumber, monthLabel } from './format';
import type { RegionSeries } from './queries';

const COLOURS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666', '#1f78b4'];
const FISCAL_MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3];

export function RegionChart({ regions, cumulative }: { regions: RegionSeries[]; cumulative: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const months = FISCAL_MONTHS.filter((month) =>
      regions.some((region) => region.series.points.some((point) => point.month === month)),
    );
    const chart = new Chart(canvas.current!, {
      type: months.length > 1 ? 'line' : 'bar',
      data: {
        labels: months.map(monthLabel),
        datasets: regions.map((region, i) => ({
          label: `${region.name} ${region.nameEn}`,
          data: months.map((month) => {
            const point = region.series.points.find((p) => p.month === month);
            return point ? (cumulative ? point.cumulative : point.value) : null;
          }),
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y)}` } },
        },
        scales: { y: { beginAtZero: true, ticks: { callback: (value) => formatNumber(Number(value)) } } },
      },
    });
    return () => chart.destroy();
  }, [regions, cumulative]);
  return (
    <div className="chart">
      <canvas ref={canvas} aria-label="regional chart" />
    </div>
  );
}
