export * from './ledger.ts';
export * from './progress.ts';
