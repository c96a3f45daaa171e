export * from './doc.ts';
export * from './input-error.ts';
export * from './columns.ts';
export * from './parquet-sink.ts';
export * from './atomic.ts';
export * from './filter.ts';
export * from './hash.ts';
export * from './random.ts';
