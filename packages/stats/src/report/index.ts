export type * from './types.ts';
export { renderReport } from './page.ts';
export { renderCorpusReport } from './corpus-page.ts';
export { esc, formatInt } from './html.ts';
export { barChart, funnelChart, histogramChart, stackedColumnChart } from './svg.ts';
export { documentFunnel, isProtocolRecordDrop, pageCounts, READ_STAGE, tokenFunnel, type PageCounts } from './pages.ts';
export type { FunnelStep } from './svg.ts';
