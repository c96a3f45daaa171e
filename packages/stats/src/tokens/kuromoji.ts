import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TokenCounter } from './counter.ts';

/** The part of kuromoji 0.1.2's CommonJS API we use. */
interface KuromojiToken {
  surface_form: string;
}
interface KuromojiTokenizer {
  tokenize(text: string): KuromojiToken[];
}
interface Kuromoji {
  builder(options: { dicPath: string }): { build(done: (err: Error | null, tokenizer: KuromojiTokenizer) => void): void };
}

/**
 * One dictionary per thread, loaded on first use: a kuromoji instance costs ~0.6 s and ~350 MB RSS
 * (shared/PACKAGES.md), so neither importing this package nor a second counter pays for it again.
 */
let shared: Promise<KuromojiTokenizer> | null = null;

function loadKuromoji(): Promise<KuromojiTokenizer> {
  if (shared) return shared;
  const require = createRequire(import.meta.url);
  const kuromoji = require('kuromoji') as Kuromoji;
  // The IPADIC dictionary ships inside the package.
  const dicPath = join(dirname(require.resolve('kuromoji/package.json')), 'dict');
  shared = new Promise<KuromojiTokenizer>((resolve, reject) =>
    kuromoji.builder({ dicPath }).build((err, tokenizer) =>
      err ? reject(new Error(`kuromoji dictionary failed to load from ${dicPath}: ${err.message}`)) : resolve(tokenizer),
    ),
  );
  shared.catch(() => (shared = null));
  return shared;
}

/** Morphemes as kuromoji (IPADIC) segments the text, whitespace tokens included. */
export class KuromojiCounter implements TokenCounter {
  readonly name = 'kuromoji';

  private constructor(private readonly tokenizer: KuromojiTokenizer) {}

  static async create(): Promise<KuromojiCounter> {
    return new KuromojiCounter(await loadKuromoji());
  }

  count(text: string): number {
    return text.length === 0 ? 0 : this.tokenizer.tokenize(text).length;
  }

  /** Surface forms, for tests and inspection. */
  surfaces(text: string): string[] {
    return this.tokenizer.tokenize(text).map((t) => t.surface_form);
  }
}
