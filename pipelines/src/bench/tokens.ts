import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN_COUNTER_CONFIG, findReferencePython, loadSentencePiece, referenceBench } from '@jcp/stats';
import { SHARED_DATA } from './_mix-warc.ts';
import { bestOf, peakRssMB, timed } from './_measure.ts';

/**
 * `pnpm bench tokens`: SentencePiece tokens per second on one core, ours against python3-sentencepiece
 * (the C++ library) on the same real Japanese text in the same run: all ABEJA CC-ja documents and all
 * Aozora works in ../shared/data/text. Python times only its encode loop and reports back as JSON, so
 * neither side pays for reading or process start.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: DEFAULT_TOKEN_COUNTER_CONFIG.modelPath },
      repeats: { type: 'string', default: '3' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: pnpm bench tokens [--model PATH.model] [--repeats N]   (best of N passes each side)');
    return;
  }
  const repeats = Number(values.repeats);
  const modelPath = values.model;
  const texts: string[] = [];
  for (const file of ['abeja-cc-ja-99docs.jsonl', 'aozora-akutagawa-miyazawa.jsonl'])
    for (const line of (await readFile(join(SHARED_DATA, 'text', file), 'utf8')).split('\n'))
      if (line) texts.push((JSON.parse(line) as { text: string }).text);
  const chars = texts.reduce((n, t) => n + t.length, 0);

  const load = await timed(() => loadSentencePiece(modelPath));
  const sp = load.value;
  const count = await bestOf(repeats, () =>
    timed(async () => {
      let n = 0;
      for (const t of texts) n += sp.count(t);
      return n;
    }),
  );
  const encode = await bestOf(repeats, () =>
    timed(async () => {
      let n = 0;
      for (const t of texts) n += sp.encode(t).length;
      return n;
    }),
  );
  const oursRss = peakRssMB();

  const python = findReferencePython();
  if (!python) throw new Error('python3 with the sentencepiece module not found: run scripts/setup.sh (it installs python3-sentencepiece)');
  const py = await referenceBench(python.python, modelPath, texts, repeats);

  const perS = (tokens: number, s: number): number => Math.round(tokens / s);
  const result = {
    model: modelPath,
    texts: texts.length,
    chars,
    tokens: count.value,
    tokens_equal_python: count.value === py.tokens && encode.value === py.tokens,
    load_s: Math.round(load.seconds * 1000) / 1000,
    ours_count_tokens_s: perS(count.value, count.seconds),
    ours_encode_tokens_s: perS(encode.value, encode.seconds),
    python_tokens_s: perS(py.tokens, py.seconds),
    python_version: `sentencepiece ${py.version} (${python.python})`,
    ratio_count_over_python: Math.round((py.seconds / count.seconds) * 100) / 100,
    ratio_encode_over_python: Math.round((py.seconds / encode.seconds) * 100) / 100,
    peak_rss_mb: Math.round(oursRss),
    python_peak_rss_mb: Math.round(py.peak_rss_mb),
  };
  console.log(
    `SentencePiece tokens/s (1 core, ${texts.length} texts, ${(chars / 1e6).toFixed(1)} M chars, ${count.value} tokens, best of ${repeats}): ` +
      `ours count ${result.ours_count_tokens_s}, ours encode ${result.ours_encode_tokens_s}, python ${result.python_tokens_s} ` +
      `(ours/python ${result.ratio_count_over_python} count, ${result.ratio_encode_over_python} encode); same token total: ${result.tokens_equal_python}; ` +
      `load ${result.load_s} s; peak RSS ours ${result.peak_rss_mb} MB, python ${result.python_peak_rss_mb} MB`,
  );
  console.log(JSON.stringify(result));
}
