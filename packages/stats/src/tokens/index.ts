export * from './counter.ts';
export * from './config.ts';
export * from './factory.ts';
export * from './sentencepiece.ts';
export * from './sentencepiece-model.ts';
export * from './reference.ts';
export type { KuromojiCounter } from './kuromoji.ts';
