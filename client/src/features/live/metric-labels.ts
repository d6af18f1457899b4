// The names of the live figures, for every page that shows them (main app and wall): `metrics` is
// the full label, `metricShort` the one that fits a button or a chart legend.
import type { AreaCounts } from '../../../../server/contracts/index.ts';

type Labels = Record<keyof AreaCounts, string>;

const zhMetrics: Labels = {
  screened: '今日筛查', abnormalTemp: '体温异常', yellowCode: '黄码', redCode: '红码', referred: '转诊', denied: '劝返',
  itineraryFlagged: '行程卡异常', testsSampled: '核酸采样', testsResulted: '核酸出结果', testsPositive: '核酸阳性',
  resultsOnTime: '按时出结果', resultOnTimeRate: '结果及时率', centralised: '集中隔离', homeQuarantine: '居家隔离',
  homeMonitoring: '居家健康监测', casesStarted: '新增隔离/监测', released: '解除隔离', transferred: '转送医院',
  releasesDue: '今日应解除', overdueReleases: '逾期未解除', missedChecks: '漏报体温', riskAreaArrivals: '中高风险地区来沪',
};
const zhShort: Labels = {
  ...zhMetrics, screened: '筛查人次', testsResulted: '已出结果', casesStarted: '新增管控', riskAreaArrivals: '风险地区来沪',
};
const enMetrics: Labels = {
  screened: 'Screened today', abnormalTemp: 'Abnormal temperature', yellowCode: 'Yellow code', redCode: 'Red code',
  referred: 'Referred', denied: 'Denied entry', itineraryFlagged: 'Itinerary flagged', testsSampled: 'Tests sampled',
  testsResulted: 'Results returned', testsPositive: 'Positive results', resultsOnTime: 'Results on time',
  resultOnTimeRate: 'Results on time (share)', centralised: 'Centralised quarantine', homeQuarantine: 'Home quarantine',
  homeMonitoring: 'Home health monitoring', casesStarted: 'New measures', released: 'Released', transferred: 'Sent to hospital',
  releasesDue: 'Releases due', overdueReleases: 'Overdue releases', missedChecks: 'Missed temperature checks',
  riskAreaArrivals: 'Arrivals from risk areas',
};
const enShort: Labels = {
  ...enMetrics, screened: 'Screened', abnormalTemp: 'Abnormal temp.', denied: 'Denied', testsSampled: 'Sampled',
  testsResulted: 'Resulted', testsPositive: 'Positive', resultOnTimeRate: 'On-time rate', centralised: 'Centralised',
  homeMonitoring: 'Home monitoring', missedChecks: 'Missed checks', riskAreaArrivals: 'Risk-area arrivals',
};

export const metricLabels = { zh: { metrics: zhMetrics, metricShort: zhShort }, en: { metrics: enMetrics, metricShort: enShort } };
