// An ECharts instance bound to a div for the component's life: resized with its box, disposed on
// unmount, and given the whole option on every change (notMerge: nothing accumulates inside it, so a
// chart on a wall that runs for days keeps its memory flat). Each chart registers its own parts
// with echarts.use, so a bundle carries only the chart types it draws.
import { useEffect, useRef, type RefObject } from 'react';
import * as echarts from 'echarts/core';

export function useEChart(option: echarts.EChartsCoreOption): RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);
  useEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);
  return ref;
}
