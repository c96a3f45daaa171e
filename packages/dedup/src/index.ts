export * from './config.ts';
export * from './shingles.ts';
export * from './minhash.ts';
export * from './exact.ts';
export * from './exact-jaccard.ts';
