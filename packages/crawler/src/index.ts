export * from './warc/reader.ts';
export type { WarcRecord } from './warc/record.ts';
export * from './warc/writer.ts';
export * from './warc/http.ts';
export * from './inputs.ts';
export * from './charset/index.ts';
