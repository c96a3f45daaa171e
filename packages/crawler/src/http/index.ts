export * from './config.ts';
export * from './retry.ts';
export * from './fetch-stream.ts';
export * from './fetch-range.ts';
export * from './warc-source.ts';
export * from './crawl-listing.ts';
export * from './resource-version.ts';
