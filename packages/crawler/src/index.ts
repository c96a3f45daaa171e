export * from './warc/reader.ts';
export type { WarcRecord } from './warc/record.ts';
export * from './warc/writer.ts';
export * from './warc/http.ts';
export * from './inputs.ts';
export * from './charset/index.ts';
export { type ByteSource, ByteSourceError, FileByteSource } from './warc/byte-window.ts';
export * from './http/index.ts';
export * from './crawl/index.ts';
