export * from './bz2.ts';
export * from './export-xml.ts';
export * from './multistream.ts';
export * from './wikitext.ts';
