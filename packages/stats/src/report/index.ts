export type * from './types.ts';
export { renderReport } from './page.ts';
export { esc, formatInt } from './html.ts';
export { barChart, funnelChart, histogramChart, stackedColumnChart } from './svg.ts';
