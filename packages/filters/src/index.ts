export * from './extract/index.ts';
export * from './langid/index.ts';
export * from './normalize/index.ts';
export * from './quality/index.ts';
export * from './toxicity/index.ts';
export * from './profiles/index.ts';
