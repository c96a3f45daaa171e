export * from './ledger.ts';
export * from './progress.ts';
export * from './audit-sample.ts';
export * from './tokens/index.ts';
export * from './history.ts';
export * from './report/index.ts';
