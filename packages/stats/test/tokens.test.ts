import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  DEFAULT_TOKEN_COUNTER_CONFIG,
  LLM_JP_V3_MODEL_PATH,
  SentencePieceModelError,
  TOKENIZER_MODEL_ENV,
  bytesCounter,
  charsCounter,
  createTokenCounter,
  defaultTokenizerModelPath,
  findReferencePython,
  loadSentencePiece,
  referenceEncode,
  type ReferencePython,
  type SentencePieceTokenizer,
} from '../src/index.ts';

const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const MODELS = {
  'ver3.1': join(SHARED_DATA, 'tokenizer/llm-jp/ver3.1/llm-jp-tokenizer-100k.ver3.1.model'),
  'ver2.2': join(SHARED_DATA, 'tokenizer/llm-jp/ver2.2/code10K_en20K_ja30K.ver2.2.model'),
};

/** Inputs where the normalizer and the byte fallback decide: whitespace runs, rare characters, emoji. */
const EDGE_CASES = [
  '',
  ' ',
  '   ',
  '  a  b  ',
  'こんにちは 世界 ',
  '全角\u3000スペースと\tタブと\r\n改行',
  '▁',
  'x▁ ▁',
  '😀🎉 絵文字👨‍👩‍👧',
  '𠮷野家の𩸽（ほっけ）と𪚲',
  'か\u3099が\u309a',
  '\u0000NUL と \u0007 制御文字',
  '\ufeffBOM で始まる',
  '<s></s><unk><pad><EOD> は普通の文字',
  'for (let i = 0; i < n; i++) { sum += a[i]; }  // code',
  'ｶﾀｶﾅ ﾊﾝｶｸ と ＡＢＣ１２３',
  'Ελληνικά, русский, עברית, العربية, हिन्दी, ไทย',
];

async function jsonlTexts(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** Every `stride`-th non-empty paragraph of the Aozora works: the same few hundred on every run. */
async function aozoraSample(count: number): Promise<string[]> {
  const paragraphs = (await jsonlTexts(join(SHARED_DATA, 'text/aozora-akutagawa-miyazawa.jsonl'))).flatMap((t) => t.split('\n')).filter((p) => p.trim() !== '');
  const stride = Math.floor(paragraphs.length / count);
  return Array.from({ length: count }, (_, i) => paragraphs[i * stride]!);
}

/** The first text whose ids differ, described for the failure message; null when all agree. */
function firstMismatch(texts: readonly string[], ours: (t: string) => number[], theirs: readonly number[][]): string | null {
  for (let i = 0; i < texts.length; i++) {
    const a = ours(texts[i]!);
    const b = theirs[i]!;
    let j = 0;
    while (j < a.length && a[j] === b[j]) j++;
    if (j < a.length || j < b.length)
      return `text ${i} (${JSON.stringify(texts[i]!.slice(0, 40))}…): ids differ at ${j}: ours ${JSON.stringify(a.slice(j, j + 5))}, python ${JSON.stringify(b.slice(j, j + 5))}`;
  }
  return null;
}

/** The python reference; a missing one fails the comparisons (setup.sh installs it), not only skips them. */
let cachedReference: ReferencePython | null = null;
function reference(): ReferencePython {
  cachedReference ??= findReferencePython();
  if (!cachedReference) throw new Error('python3 with the sentencepiece module not found: run scripts/setup.sh (it installs python3-sentencepiece)');
  return cachedReference;
}

let corpus: string[];

beforeAll(async () => {
  corpus = [...(await jsonlTexts(join(SHARED_DATA, 'text/abeja-cc-ja-99docs.jsonl'))), ...(await aozoraSample(300)), ...EDGE_CASES];
});

describe.each(Object.entries(MODELS))('SentencePiece %s against python3-sentencepiece', (_, modelPath) => {
  let sp: SentencePieceTokenizer;
  let ref: { count: number; ids?: number[] }[];

  beforeAll(async () => {
    sp = await loadSentencePiece(modelPath);
    ref = await referenceEncode(reference().python, modelPath, corpus, true);
  });

  test('counts equal len(sp.encode(text)) for every ABEJA CC-ja document, Aozora paragraph and edge case', () => {
    const differing = corpus.map((t, i) => ({ i, ours: sp.count(t), python: ref[i]!.count })).filter((d) => d.ours !== d.python);
    expect(differing.slice(0, 5)).toEqual([]);
    expect(corpus.length).toBe(99 + 300 + EDGE_CASES.length);
  });

  test('ids equal sp.encode(text) for every text', () => {
    expect(firstMismatch(corpus, (t) => sp.encode(t), ref.map((r) => r.ids!))).toBeNull();
  });
});

describe('SentencePiece whitespace options, on the ver2.2 model with its NormalizerSpec/TrainerSpec overridden', () => {
  // A protobuf parser merges a repeated sub-message field by field, so appending a NormalizerSpec (field
  // 3) or TrainerSpec (field 2) that sets one option overrides just that option, for both implementations.
  const OVERRIDES: Record<string, number[]> = {
    'add_dummy_prefix=false': [0x1a, 2, 0x18, 0],
    'remove_extra_whitespaces=true': [0x1a, 2, 0x20, 1],
    'escape_whitespaces=false': [0x1a, 2, 0x28, 0],
    'treat_whitespace_as_suffix=true': [0x12, 3, 0xc0, 0x01, 1],
  };
  const texts = [...EDGE_CASES, ' 先頭  と  末尾の空白  ', '▁▁ ▁', 'a ▁', '  ', 'Hello,  world!  '];

  test.each(Object.entries(OVERRIDES))('%s gives python’s ids', async (_, patch) => {
    const dir = await mkdtemp(join(tmpdir(), 'jcp-spm-'));
    const path = join(dir, 'patched.model');
    await writeFile(path, Buffer.concat([await readFile(MODELS['ver2.2']), Buffer.from(patch)]));
    const sp = await loadSentencePiece(path);
    const ref = await referenceEncode(reference().python, path, texts, true);
    expect(firstMismatch(texts, (t) => sp.encode(t), ref.map((r) => r.ids!))).toBeNull();
    expect(texts.map((t) => sp.count(t))).toEqual(ref.map((r) => r.count));
  });
});

describe('SentencePiece loading', () => {
  test('a missing model file is an error naming the path', async () => {
    const path = join(tmpdir(), 'jcp-no-such-dir', 'missing.model');
    await expect(loadSentencePiece(path)).rejects.toThrow(`SentencePiece model not found: ${path}`);
    await expect(createTokenCounter({ kind: 'sentencepiece', modelPath: path })).rejects.toThrow(path);
  });

  test('a file that is not a SentencePiece model is an error naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jcp-spm-'));
    const path = join(dir, 'tokenizer.json');
    await writeFile(path, '{"model": {"type": "Unigram"}}');
    await expect(loadSentencePiece(path)).rejects.toThrow(SentencePieceModelError);
    await expect(loadSentencePiece(path)).rejects.toThrow(`not a SentencePiece model: ${path}`);
  });

  test('a directory given as the model is an error naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jcp-spm-'));
    await expect(loadSentencePiece(dir)).rejects.toThrow(`not a SentencePiece model: ${dir}`);
  });

  test('a truncated model is an error naming the path and the byte offset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jcp-spm-'));
    const path = join(dir, 'truncated.model');
    await writeFile(path, (await readFile(MODELS['ver2.2'])).subarray(0, 5000));
    await expect(loadSentencePiece(path)).rejects.toThrow(new RegExp(`^not a SentencePiece model: ${path}: .* at byte \\d+$`));
  });

  test.each([
    ['a BPE model', [0x12, 2, 0x18, 2], 'model_type 2'],
    ['a character map in the normalizer', [0x1a, 4, 0x12, 2, 0x41, 0x42], "normalizer 'identity' with a precompiled_charsmap"],
  ])('%s is refused at load, not counted wrongly', async (_, patch, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'jcp-spm-'));
    const path = join(dir, 'patched.model');
    await writeFile(path, Buffer.concat([await readFile(MODELS['ver2.2']), Buffer.from(patch)]));
    await expect(loadSentencePiece(path)).rejects.toThrow(`SentencePiece model not supported: ${path}: ${message}`);
  });

  test('the counter is named after the model file', async () => {
    expect((await loadSentencePiece(MODELS['ver3.1'])).name).toBe('sentencepiece:llm-jp-tokenizer-100k.ver3.1.model');
  });
});

describe('token counter config', () => {
  test('the default model is LLM-jp ver3.1 in ../shared/data, and it exists', () => {
    expect(LLM_JP_V3_MODEL_PATH).toBe(MODELS['ver3.1']);
    expect(existsSync(LLM_JP_V3_MODEL_PATH)).toBe(true);
    expect(defaultTokenizerModelPath({})).toBe(MODELS['ver3.1']);
    expect(DEFAULT_TOKEN_COUNTER_CONFIG).toEqual({ kind: 'sentencepiece', modelPath: process.env[TOKENIZER_MODEL_ENV] || MODELS['ver3.1'] });
  });

  test('JCP_TOKENIZER_MODEL overrides the default model path', () => {
    expect(defaultTokenizerModelPath({ [TOKENIZER_MODEL_ENV]: MODELS['ver2.2'] })).toBe(MODELS['ver2.2']);
    expect(defaultTokenizerModelPath({ [TOKENIZER_MODEL_ENV]: '' })).toBe(MODELS['ver3.1']);
  });

  test('createTokenCounter returns the counter each kind names', async () => {
    expect((await createTokenCounter({ kind: 'chars', modelPath: '' })).name).toBe('chars');
    expect((await createTokenCounter({ kind: 'bytes', modelPath: '' })).name).toBe('bytes');
    const sp = await createTokenCounter({ kind: 'sentencepiece', modelPath: MODELS['ver2.2'] });
    expect(sp.name).toBe('sentencepiece:code10K_en20K_ja30K.ver2.2.model');
    expect(sp.count('吾輩は猫である。')).toBeGreaterThan(0);
  });
});

describe('chars and bytes counters', () => {
  test('chars counts code points: a surrogate pair is one character', () => {
    expect(charsCounter.count('')).toBe(0);
    expect(charsCounter.count('abc')).toBe(3);
    expect(charsCounter.count('日本語')).toBe(3);
    expect(charsCounter.count('𠮷野家')).toBe(3); // 𠮷 is U+20BB7: two UTF-16 units
    expect(charsCounter.count('😀👍')).toBe(2);
  });

  test('chars counts a lone surrogate as one character', () => {
    expect(charsCounter.count('\ud842')).toBe(1);
    expect(charsCounter.count('a\udfb7\ud842')).toBe(3); // low before high is not a pair
    expect(charsCounter.count('\ud842\ud842\udfb7')).toBe(2); // a lone high, then a pair
  });

  test('bytes counts UTF-8 bytes: 1 for ASCII, 3 for kana and kanji, 4 beyond the BMP', () => {
    expect(bytesCounter.count('')).toBe(0);
    expect(bytesCounter.count('abc')).toBe(3);
    expect(bytesCounter.count('日本語')).toBe(9);
    expect(bytesCounter.count('𠮷')).toBe(4);
    expect(bytesCounter.count('é')).toBe(2);
  });

  test('bytes counts a lone surrogate as the 3 bytes of U+FFFD', () => {
    expect(bytesCounter.count('\ud842')).toBe(3);
    expect(bytesCounter.count('\ud842')).toBe(new TextEncoder().encode('\ud842').length);
  });
});

describe('kuromoji counter', () => {
  test('counts the morphemes of すもももももももものうち as 7', async () => {
    const counter = await createTokenCounter({ kind: 'kuromoji', modelPath: '' });
    expect(counter.name).toBe('kuromoji');
    expect(counter.count('すもももももももものうち')).toBe(7);
    expect(counter.count('')).toBe(0);
  });

  test('segments すもももももももものうち as IPADIC does', async () => {
    const { KuromojiCounter } = await import('../src/tokens/kuromoji.ts');
    expect((await KuromojiCounter.create()).surfaces('すもももももももものうち')).toEqual(['すもも', 'も', 'もも', 'も', 'もも', 'の', 'うち']);
  });
});
