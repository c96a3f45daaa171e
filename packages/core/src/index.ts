export * from './doc.ts';
export * from './input-error.ts';
