export * from './columns.ts';
export * from './selection.ts';
export * from './index-reader.ts';
export * from './record-ranges.ts';
export * from './range-reader.ts';
export * from './index-files.ts';
export * from './select.ts';
