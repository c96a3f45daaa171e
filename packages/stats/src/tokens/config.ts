import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a count is in. */
export type TokenCounterKind = 'sentencepiece' | 'kuromoji' | 'chars' | 'bytes';

export interface TokenCounterConfig {
  /**
   * Default `sentencepiece`: corpus sizes for LLM training are quoted in the target model's tokens, and
   * LLM-jp's tokenizer is the one Japanese open models (LLM-jp-3) are trained with.
   */
  kind: TokenCounterKind;
  /**
   * The SentencePiece `.model` file (kind `sentencepiece` only). Default: LLM-jp tokenizer ver3.1 (100k
   * vocabulary, used by LLM-jp-3) from `../shared/data/tokenizer/`; `JCP_TOKENIZER_MODEL` overrides it.
   */
  modelPath: string;
}

/** The environment variable that overrides the default model path. */
export const TOKENIZER_MODEL_ENV = 'JCP_TOKENIZER_MODEL';

/** The repository root, from this file's place in it (packages/stats/src/tokens/). */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** LLM-jp tokenizer ver3.1 in the shared data folder next to the repository. */
export const LLM_JP_V3_MODEL_PATH = join(REPO_ROOT, '..', 'shared/data/tokenizer/llm-jp/ver3.1/llm-jp-tokenizer-100k.ver3.1.model');

/** The model path in force: `JCP_TOKENIZER_MODEL` when set and non-empty, else LLM-jp ver3.1. */
export function defaultTokenizerModelPath(env: NodeJS.ProcessEnv = process.env): string {
  return env[TOKENIZER_MODEL_ENV] || LLM_JP_V3_MODEL_PATH;
}

export const DEFAULT_TOKEN_COUNTER_CONFIG: TokenCounterConfig = {
  kind: 'sentencepiece',
  modelPath: defaultTokenizerModelPath(),
};
