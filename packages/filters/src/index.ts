export * from './extract/index.ts';
export * from './langid/index.ts';
