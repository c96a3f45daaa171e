import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTER_PROFILE,
  TOXICITY_CLASSIFIER_RULE,
  compileProfile,
  filterProfileNamed,
  filterSettingsOf,
  profileOfSettings,
  withToxicityModel,
  type FilterSettings,
} from '../src/profiles/index.ts';
import {
  AhoCorasick,
  DEFAULT_TOXICITY_CLASSIFIER_CONFIG,
  DEFAULT_TOXICITY_TRAINING,
  NG_WORDS_SCORE_NAMES,
  NgramFeaturizer,
  TOXICITY_SCORE_NAMES,
  TOXICITY_STEP,
  ToxicityScorer,
  decodeToxicityModel,
  encodeToxicityModel,
  labelledExamples,
  loadToxicityModel,
  outOfFoldProbabilities,
  parseCsv,
  predictProbability,
  readToxicityCsv,
  saveToxicityModel,
  stratifiedFolds,
  trainLinearModel,
  trainingSection,
  type NgWordsConfig,
  type ToxicityModelMetadata,
} from '../src/toxicity/index.ts';

/** The shared data folder (read-only, outside the repo): real texts and lists, not made-up ones. */
const SHARED = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const DEV_CSV = `${SHARED}toxicity/inspection-ai.dev.csv`;
const TEXT_FILES = ['text/abeja-cc-ja-99docs.jsonl', 'text/aozora-akutagawa-miyazawa.jsonl'];

function cleanDocuments(): string[] {
  return TEXT_FILES.flatMap((file) =>
    readFileSync(`${SHARED}${file}`, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { text: string }).text),
  );
}

const scratch = mkdtempSync(join(tmpdir(), 'toxicity-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A document's verdict in the toxicity step: kept, or dropped under the first failing rule's reason. */
interface Judged {
  keep: boolean;
  reason?: string;
  scores: Record<string, number>;
}

interface StepUnderTest {
  name: string;
  scoreNames: readonly string[];
  apply(text: string): Judged;
}

/** The toxicity step of `settings`, compiled as a run compiles it (decisions are the profile's rules over the scorers' scores). */
function toxicityStepOf(settings: FilterSettings, name: string): StepUnderTest {
  const step = compileProfile(profileOfSettings(settings), settings.scorers).find((s) => s.name === TOXICITY_STEP);
  if (!step) throw new Error(`profile ${settings.profile} has no ${TOXICITY_STEP} step`);
  return {
    name,
    scoreNames: step.scoreNames,
    apply(text) {
      const scores: Record<string, number> = {};
      const first = step.judge({ text, url: null }, scores).failed[0];
      return first ? { keep: false, reason: first.reason, scores } : { keep: true, scores };
    },
  };
}

/** The default profile's toxicity step (its NG-word rules), with the NG-word scorer's settings overridden. */
function ngWordsStep(overrides: Partial<NgWordsConfig> = {}): StepUnderTest {
  const settings = filterSettingsOf(filterProfileNamed(DEFAULT_FILTER_PROFILE));
  settings.scorers.ngWords = { ...settings.scorers.ngWords, ...overrides };
  return toxicityStepOf(settings, 'ng-words');
}

/** The classifier rule alone, as `--toxicity-model` adds it: drop at `toxicity_prob ≥ threshold` (default: the model file's). */
function classifierStep({ modelPath = DEFAULT_TOXICITY_CLASSIFIER_CONFIG.modelPath, threshold }: { modelPath?: string; threshold?: number } = {}): StepUnderTest {
  const settings = withToxicityModel(filterSettingsOf(filterProfileNamed(DEFAULT_FILTER_PROFILE)), modelPath, threshold ?? loadToxicityModel(modelPath).header.threshold);
  settings.steps = { [TOXICITY_STEP]: { rules: { [TOXICITY_CLASSIFIER_RULE]: settings.steps[TOXICITY_STEP]!.rules[TOXICITY_CLASSIFIER_RULE]! } } };
  return toxicityStepOf(settings, 'classifier');
}

const isKatakana = (c: number): boolean => (c >= 0x30a1 && c <= 0x30f4) || c === 0x30fc;

/**
 * Leftmost-longest non-overlapping matching by trying every word at every position; with
 * `isolateKatakana`, a katakana-only word counts only where no katakana touches it.
 */
function bruteForceMatches(words: string[], text: string, isolateKatakana = false): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const valid = (word: string, at: number): boolean => {
    if (!isolateKatakana || ![...word].every((ch) => isKatakana(ch.charCodeAt(0)))) return true;
    return !(at > 0 && isKatakana(text.charCodeAt(at - 1))) && !(at + word.length < text.length && isKatakana(text.charCodeAt(at + word.length)));
  };
  let i = 0;
  while (i < text.length) {
    let best = 0;
    for (const word of words) if (word.length > best && text.startsWith(word, i) && valid(word, i)) best = word.length;
    if (best > 0) {
      out.push([i, i + best]);
      i += best;
    } else i++;
  }
  return out;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

describe('Aho–Corasick', () => {
  it('takes the longest word at the leftmost position and does not overlap matches', () => {
    const ac = AhoCorasick.build(['東京', '東京都', '京都', '都庁', '庁']);
    // 東京都 wins over 東京 at 0; 京都 and 都庁 overlap it and are skipped; 庁 follows.
    expect(ac.findAll('東京都庁')).toEqual([
      [0, 3],
      [3, 4],
    ]);
    expect(ac.match('東京都庁')).toEqual({ count: 2, chars: 4 });
  });

  it('agrees with a brute-force matcher on random strings with overlapping and nested words (with and without katakana isolation)', () => {
    const random = seeded(42);
    const alphabet = ['a', 'b', 'あ', 'ア', 'ス', 'ー'];
    const pick = (): string => alphabet[Math.floor(random() * alphabet.length)]!;
    for (let trial = 0; trial < 2000; trial++) {
      const words = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
        Array.from({ length: 1 + Math.floor(random() * 5) }, pick).join(''),
      );
      const text = Array.from({ length: Math.floor(random() * 60) }, pick).join('');
      for (const isolateKatakanaWords of [false, true]) {
        expect(AhoCorasick.build(words, { isolateKatakanaWords }).findAll(text), `${JSON.stringify(words)} in ${text}`).toEqual(
          bruteForceMatches(words, text, isolateKatakanaWords),
        );
      }
    }
  });

  it('matches a katakana-only word only where no katakana touches it', () => {
    const ac = AhoCorasick.build(['アス', 'スケ'], { isolateKatakanaWords: true });
    expect(ac.match('アスパラガスとスケジュール').count).toBe(0);
    expect(ac.match('アスと、スケ。').count).toBe(2);
  });

  it('matches an ASCII word only where no ASCII letter or digit touches it', () => {
    const ac = AhoCorasick.build(['893', 'AV'], { isolateAsciiWords: true, foldWidthAndCase: true });
    expect(ac.match('価格は18930円で、AVAILABLE').count).toBe(0);
    expect(ac.match('893の人とａｖ')).toEqual({ count: 2, chars: 5 });
  });

  it('counts nothing in empty text or with an empty word list', () => {
    expect(AhoCorasick.build(['ab']).match('')).toEqual({ count: 0, chars: 0 });
    expect(AhoCorasick.build([]).match('abc')).toEqual({ count: 0, chars: 0 });
  });
});

describe('ng-words filter', () => {
  const filter = ngWordsStep();

  it('keeps the clean Japanese texts of shared/data/text', () => {
    const dropped = cleanDocuments().filter((text) => !filter.apply(text).keep);
    expect(dropped).toEqual([]);
  });

  it('drops a text stuffed with list words, with reason ng-words and both scores', () => {
    const outcome = filter.apply('死ね。殺す。レイプ。今日は晴れです。'.repeat(15));
    expect(outcome.keep).toBe(false);
    expect(outcome.reason).toBe('ng-words');
    expect(Object.keys(outcome.scores).sort()).toEqual([...NG_WORDS_SCORE_NAMES].sort());
    expect(outcome.scores.ng_word_count).toBe(45);
    expect(outcome.scores.ng_char_share).toBeGreaterThan(0.05);
  });

  it('judges the share of a document: under 200 letters the denominator is 200, so one NG word in a sentence keeps it', () => {
    const outcome = filter.apply('死ね。殺す。レイプ。今日は晴れです。');
    expect(outcome.scores.ng_word_count).toBe(3);
    expect(outcome.scores.ng_char_share).toBeCloseTo(7 / 200, 12);
    expect(outcome.keep).toBe(true);
  });

  it('keeps a long text with one NG word (the share is what counts)', () => {
    const outcome = filter.apply(`${'今日は良い天気で、公園を散歩しました。'.repeat(20)}殺人事件のニュースを見た。`);
    expect(outcome.keep).toBe(true);
    expect(outcome.scores.ng_word_count).toBe(1); // 殺人 (violence list)
  });

  it('loads any word-list file given in the config (LDNOOBW English from shared/data)', () => {
    const english = ngWordsStep({ listPaths: [`${SHARED}ngwords/ldnoobw/en.txt`] });
    expect(english.apply('This is a perfectly clean sentence about gardening.').keep).toBe(true);
    expect(english.apply('Bitch!').scores.ng_word_count).toBe(1);
  });

  it('names the list file it cannot read', () => {
    expect(() => ngWordsStep({ listPaths: [`${scratch}/missing.txt`] })).toThrow(/missing\.txt/);
  });
});

describe('toxicity model', () => {
  const dev = readToxicityCsv(DEV_CSV);
  const recipe = DEFAULT_TOXICITY_TRAINING;
  const examples = labelledExamples(dev.rows, recipe);
  const metadata: ToxicityModelMetadata = {
    threshold: 0.5,
    trainedOn: { file: 'inspection-ai.dev.csv', sha256: dev.sha256, rows: dev.rows.length, positives: 21, labelRule: 'test' },
    training: trainingSection(recipe),
    metrics: {},
  };

  it('reads the dev CSV: 275 rows, 21 toxic by strict majority', () => {
    expect(dev.rows).toHaveLength(275);
    expect(dev.rows.filter((r) => r.toxic)).toHaveLength(21);
  });

  it('parses quoted CSV fields with commas, doubled quotes and newlines', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('trains deterministically: same data, same weights', () => {
    const a = trainLinearModel(examples, recipe.options);
    const b = trainLinearModel(examples, recipe.options);
    expect(a.bias).toBe(b.bias);
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect(encodeToxicityModel(a, metadata)).toBe(encodeToxicityModel(b, metadata));
  });

  it('round-trips through the model file: save → load → the same predictions', () => {
    const model = trainLinearModel(examples, recipe.options);
    const path = join(scratch, 'model.json');
    saveToxicityModel(path, model, metadata);
    const loaded = loadToxicityModel(path);
    expect(loaded.header.format).toBe('jcp-toxicity');
    expect(loaded.header.version).toBe(1);
    expect(loaded.header.trainedOn.sha256).toBe(dev.sha256);
    const before = new NgramFeaturizer(model.features);
    const after = new NgramFeaturizer(loaded.model.features);
    for (const row of dev.rows) {
      expect(predictProbability(loaded.model, after, row.text)).toBe(predictProbability(model, before, row.text));
    }
  });

  it('rejects a file of another format, naming the file', () => {
    const path = join(scratch, 'other.json');
    writeFileSync(path, JSON.stringify({ format: 'something-else', version: 1 }));
    expect(() => loadToxicityModel(path)).toThrow(/other\.json.*format/);
    expect(() => decodeToxicityModel('{not json', 'x.json')).toThrow(/x\.json: not JSON/);
  });

  it('keeps the committed model file small (< 1 MB)', () => {
    expect(readFileSync(DEFAULT_TOXICITY_CLASSIFIER_CONFIG.modelPath).length).toBeLessThan(1_000_000);
  });
});

describe('toxicity classifier', () => {
  const dev = readToxicityCsv(DEV_CSV);
  const clearlyToxic = dev.rows.filter((r) => r.votes?.notToxic === 0 && r.votes.hardToSay === 0);
  const clearlyBenign = dev.rows.filter((r) => r.votes?.toxic === 0 && r.votes.veryToxic === 0 && r.votes.hardToSay === 0);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

  it('scores clearly toxic dev rows higher than clearly benign ones (committed model)', () => {
    const { model } = loadToxicityModel(DEFAULT_TOXICITY_CLASSIFIER_CONFIG.modelPath);
    const scorer = new ToxicityScorer(model);
    expect(clearlyToxic.length).toBeGreaterThan(5);
    expect(mean(clearlyToxic.map((r) => scorer.score(r.text).prob))).toBeGreaterThan(mean(clearlyBenign.map((r) => scorer.score(r.text).prob)));
  });

  it('scores clearly toxic rows higher than clearly benign ones also out of fold (rows it was not trained on)', () => {
    const examples = labelledExamples(dev.rows, DEFAULT_TOXICITY_TRAINING);
    const folds = stratifiedFolds(
      examples.map((e) => e.toxic),
      5,
      1,
    );
    const probabilities = outOfFoldProbabilities(examples, DEFAULT_TOXICITY_TRAINING.options, folds, 5);
    const byRow = new Map(dev.rows.map((row, i) => [row, probabilities[i]!]));
    expect(mean(clearlyToxic.map((r) => byRow.get(r)!))).toBeGreaterThan(mean(clearlyBenign.map((r) => byRow.get(r)!)));
  });

  it('scores a short one-line text whole, exactly as at training', () => {
    const { model } = loadToxicityModel(DEFAULT_TOXICITY_CLASSIFIER_CONFIG.modelPath);
    const scorer = new ToxicityScorer(model);
    const featurizer = new NgramFeaturizer(model.features);
    for (const row of dev.rows.slice(0, 30)) {
      expect(scorer.score(row.text).prob).toBe(predictProbability(model, featurizer, row.text.trim()));
    }
  });

  it('drops a document when a quarter of its lines are toxic, not for one toxic line among many', () => {
    const filter = classifierStep({ threshold: 0.5 });
    const toxicLine = 'しね'.repeat(10);
    const clean = '今日は良い天気で、公園を散歩しました。';
    expect(filter.apply([toxicLine, clean, clean, clean].join('\n'))).toMatchObject({ keep: false, reason: 'toxic' });
    expect(filter.apply([toxicLine, ...Array<string>(20).fill(clean)].join('\n')).keep).toBe(true);
  });

  it('keeps (nearly) all clean Japanese texts of shared/data/text', () => {
    const filter = classifierStep();
    const docs = cleanDocuments();
    const dropped = docs.filter((text) => !filter.apply(text).keep);
    expect(dropped.length / docs.length).toBeLessThanOrEqual(0.01);
  });

  it('names the model file it cannot read', () => {
    expect(() => classifierStep({ modelPath: `${scratch}/nope.json` })).toThrow(/nope\.json/);
  });
});

describe('bad input', () => {
  const filters = [ngWordsStep(), classifierStep()];
  const prose = (JSON.parse(readFileSync(`${SHARED}text/aozora-akutagawa-miyazawa.jsonl`, 'utf8').split('\n')[3]!) as { text: string }).text.replace(/\s+/g, '');
  const fiveMegabyteLine = prose.repeat(Math.ceil(5_000_000 / prose.length)).slice(0, 5_000_000);
  const cases: Record<string, string> = {
    'empty text': '',
    'only emoji': '😀🎉👍🙏'.repeat(500),
    'only symbols': '!!!???***###「」、。・…'.repeat(100),
    'unpaired surrogates': 'あ\uD800い\uDC00う\uDFFF\uD83D',
    'a lone high surrogate': '\uD800',
  };

  for (const [name, text] of Object.entries(cases)) {
    it(`gives a result for ${name} and never throws`, () => {
      for (const filter of filters) {
        const outcome = filter.apply(text);
        expect(Object.keys(outcome.scores).sort(), filter.name).toEqual([...filter.scoreNames].sort());
        for (const value of Object.values(outcome.scores)) expect(Number.isFinite(value), filter.name).toBe(true);
        if (!outcome.keep) expect(outcome.reason, filter.name).toBeTruthy();
      }
    });
  }

  it('scores nothing (0, kept) when no chunk has a letter', () => {
    const filter = classifierStep();
    expect(filter.apply('😀🎉 !!! 123')).toEqual({ keep: true, scores: { toxicity_prob: 0, toxicity_max_prob: 0, toxicity_chunks: 0 } });
    expect(TOXICITY_SCORE_NAMES).toContain('toxicity_prob');
  });

  // Its speed is measured by `pnpm bench filters` (one 5 MB single-line document), not here: a timed
  // assertion fails on a loaded machine and proves nothing on an idle one.
  it('scores a single 5 MB line of clean prose and keeps it, with every score finite', () => {
    for (const filter of filters) {
      const outcome = filter.apply(fiveMegabyteLine);
      expect(outcome.keep, filter.name).toBe(true);
      expect(Object.keys(outcome.scores).sort(), filter.name).toEqual([...filter.scoreNames].sort());
      for (const value of Object.values(outcome.scores)) expect(Number.isFinite(value), filter.name).toBe(true);
    }
  });
});
