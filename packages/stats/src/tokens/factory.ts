import { bytesCounter, charsCounter, type TokenCounter } from './counter.ts';
import { DEFAULT_TOKEN_COUNTER_CONFIG, type TokenCounterConfig } from './config.ts';
import { loadSentencePiece } from './sentencepiece.ts';

/**
 * The counter a config names, ready to use. Create one per worker and reuse it: SentencePiece builds its
 * trie at load (~0.1-0.3 s), kuromoji loads its dictionary once per thread.
 */
export async function createTokenCounter(config: TokenCounterConfig = DEFAULT_TOKEN_COUNTER_CONFIG): Promise<TokenCounter> {
  switch (config.kind) {
    case 'sentencepiece':
      return loadSentencePiece(config.modelPath);
    case 'kuromoji': {
      // Imported here so that loading @jcp/stats never loads kuromoji.
      const { KuromojiCounter } = await import('./kuromoji.ts');
      return KuromojiCounter.create();
    }
    case 'chars':
      return charsCounter;
    case 'bytes':
      return bytesCounter;
    default: {
      const kind: never = config.kind;
      throw new Error(`unknown token counter kind '${String(kind)}' (expected sentencepiece, kuromoji, chars or bytes)`);
    }
  }
}
