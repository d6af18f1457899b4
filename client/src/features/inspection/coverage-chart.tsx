// Sites inspected vs in scope per district (or category) as horizontal ECharts bars, the way the
// wall's trend chart uses ECharts: one instance per mount, options replaced on change.
import { useMemo } from 'react';
import { useEChart } from '../../lib/use-echart.ts';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface CoverageBars {
  names: string[];
  inScope: number[];
  inspected: number[];
  thisWeek: number[];
  /** rows with nothing inspected this week (drawn in red) */
  missed: boolean[];
  labels: { inScope: string; inspected: string; thisWeek: string };
  scale: number;
}

function option(p: CoverageBars): EChartsCoreOption {
  const font = (size: number) => Math.round(size * p.scale);
  const axisLabel = { color: '#8ea3c2', fontSize: font(12) };
  return {
    animation: false,
    textStyle: { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, right: 0, itemWidth: font(14), itemHeight: font(8), textStyle: { color: '#c8d6ea', fontSize: font(12) } },
    grid: { left: font(4), right: font(16), top: font(28), bottom: font(4), containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#15263f' } }, axisLabel },
    yAxis: {
      type: 'category',
      inverse: true,
      data: p.names,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#2b4a78' } },
      // districts with nothing inspected this week in red, as in the table
      axisLabel: { ...axisLabel, color: (_value: unknown, index: number) => (p.missed[index] ? '#fca5a5' : '#c8d6ea') },
    },
    series: [
      { type: 'bar', name: p.labels.inScope, data: p.inScope, barGap: '-100%', barMaxWidth: font(14), itemStyle: { color: '#1d3152' }, z: 1 },
      { type: 'bar', name: p.labels.inspected, data: p.inspected, barMaxWidth: font(14), itemStyle: { color: '#38bdf8' }, z: 2 },
      {
        type: 'bar',
        name: p.labels.thisWeek,
        data: p.thisWeek.map((value, i) => ({ value, itemStyle: { color: p.missed[i] ? '#ef4444' : '#22c55e' } })),
        barMaxWidth: font(6),
        itemStyle: { color: '#22c55e' },
        z: 3,
      },
    ],
  };
}

export function CoverageChart(props: CoverageBars) {
  const ref = useEChart(useMemo(() => option(props), [props]));
  return <div ref={ref} className="coverage-chart" style={{ height: `${Math.max(8, props.names.length * 1.7 + 3)}rem` }} aria-hidden="true" />;
}
