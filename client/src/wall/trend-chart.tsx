// The 14-day trend with ECharts (what Chinese command centres know), used directly through a small
// wrapper: one chart instance per mount, options replaced on change, disposed on unmount.
import { useMemo } from 'react';
import { useEChart } from '../lib/use-echart.ts';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, CanvasRenderer]);

export interface TrendSeries {
  name: string;
  kind: 'bar' | 'line';
  colour: string;
  values: number[];
  /** 0 = left axis, 1 = right axis */
  axis: 0 | 1;
}

export interface TrendChartProps {
  days: string[];
  series: TrendSeries[];
  scale: number;
}

function option({ days, series, scale }: TrendChartProps): EChartsCoreOption {
  const font = (size: number) => Math.round(size * scale);
  const axisLabel = { color: '#8ea3c2', fontSize: font(12) };
  return {
    animation: false,
    textStyle: { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
    grid: { left: font(8), right: font(8), top: font(34), bottom: font(4), containLabel: true },
    legend: { top: 0, right: 0, itemWidth: font(14), itemHeight: font(8), textStyle: { color: '#c8d6ea', fontSize: font(12) } },
    xAxis: {
      type: 'category',
      data: days.map((d) => d.slice(5).replace('-', '/')),
      axisLine: { lineStyle: { color: '#2b4a78' } },
      axisTick: { show: false },
      axisLabel,
    },
    yAxis: [
      { type: 'value', splitLine: { lineStyle: { color: '#15263f' } }, axisLabel, minInterval: 1 },
      { type: 'value', splitLine: { show: false }, axisLabel, minInterval: 1 },
    ],
    series: series.map((s) =>
      s.kind === 'bar'
        ? {
            type: 'bar',
            name: s.name,
            data: s.values,
            yAxisIndex: s.axis,
            barMaxWidth: font(18),
            itemStyle: {
              borderRadius: [font(3), font(3), 0, 0],
              color: new echarts.graphic.LinearGradient(0, 0, 0, 1, [
                { offset: 0, color: s.colour },
                { offset: 1, color: 'rgba(56, 189, 248, 0.15)' },
              ]),
            },
          }
        : {
            type: 'line',
            name: s.name,
            data: s.values,
            yAxisIndex: s.axis,
            smooth: true,
            symbol: 'circle',
            symbolSize: font(5),
            lineStyle: { width: font(2), color: s.colour },
            itemStyle: { color: s.colour },
          },
    ),
  };
}

export function TrendChart(props: TrendChartProps) {
  const ref = useEChart(useMemo(() => option({ days: props.days, series: props.series, scale: props.scale }), [props.days, props.series, props.scale]));
  return <div ref={ref} className="trend-chart" data-testid="trend-chart" />;
}
