/**
 * `pnpm eval langid --data <file.jsonl>`: Japanese detection quality of the langid module.
 *
 * Input lines: `{"lang", "text", "source", "variant"?}`; `lang` is ISO 639-1 (lingua) or ISO 639-3 (franc).
 * Japanese (`ja`/`jpn`) is the positive class; predicted positive = `detect(text).lang === 'ja'`, the
 * production path with the text pre-check. Accuracy over all languages uses `identify` (no pre-check,
 * which by design answers `und` for most non-CJK text) on items whose language cld3 knows.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
// Relative import: @jcp/filters exposes only its root index, which does not re-export langid yet.
import {
  createLanguageDetector,
  hasJapaneseBytes,
  hasJapaneseText,
  type LanguageGuess,
} from '../../../packages/filters/src/langid/index.ts';
import { parseEvalArgs, printScores, round, readJsonlObjects } from './_common.ts';

interface LangIdItem {
  lang: string;
  text: string;
  source: string;
}

/** Human-readable examples of each error kind printed before the scores. */
const MAX_EXAMPLES_PRINTED = 20;
const EXAMPLE_TEXT_CHARS = 100;

/** ISO 639-3 (as franc writes it) → ISO 639-1 where the mapping is obvious (incl. macrolanguage members). */
const ISO639_3_TO_1: Readonly<Record<string, string>> = {
  afr: 'af', amh: 'am', arb: 'ar', ara: 'ar', azj: 'az', aze: 'az', bel: 'be', bul: 'bg', ben: 'bn', bos: 'bs',
  cat: 'ca', ces: 'cs', cym: 'cy', dan: 'da', deu: 'de', ell: 'el', eng: 'en', epo: 'eo', spa: 'es', est: 'et',
  eus: 'eu', pes: 'fa', fas: 'fa', fin: 'fi', fra: 'fr', fry: 'fy', gle: 'ga', gla: 'gd', glg: 'gl', guj: 'gu',
  hau: 'ha', heb: 'he', hin: 'hi', hrv: 'hr', hat: 'ht', hun: 'hu', hye: 'hy', ind: 'id', ibo: 'ig', isl: 'is',
  ita: 'it', jpn: 'ja', jav: 'jv', kat: 'ka', kaz: 'kk', khm: 'km', kan: 'kn', kor: 'ko', kir: 'ky', lat: 'la',
  ltz: 'lb', lao: 'lo', lit: 'lt', lvs: 'lv', lav: 'lv', mlg: 'mg', plt: 'mg', mri: 'mi', mkd: 'mk', mal: 'ml',
  khk: 'mn', mon: 'mn', mar: 'mr', zlm: 'ms', zsm: 'ms', msa: 'ms', mlt: 'mt', mya: 'my', npi: 'ne', nep: 'ne',
  nld: 'nl', nob: 'nb', nno: 'nn', nya: 'ny', pan: 'pa', pol: 'pl', pbu: 'ps', pus: 'ps', por: 'pt', ron: 'ro',
  rus: 'ru', snd: 'sd', sin: 'si', slk: 'sk', slv: 'sl', smo: 'sm', sna: 'sn', som: 'so', als: 'sq', sqi: 'sq',
  srp: 'sr', sot: 'st', sun: 'su', swe: 'sv', swh: 'sw', swa: 'sw', tam: 'ta', tel: 'te', tgk: 'tg', tha: 'th',
  tgl: 'tl', tsn: 'tn', tur: 'tr', tso: 'ts', ukr: 'uk', urd: 'ur', uzn: 'uz', uzb: 'uz', vie: 'vi', xho: 'xh',
  yid: 'yi', yor: 'yo', cmn: 'zh', zho: 'zh', zul: 'zu', lug: 'lg', haw: 'haw', ceb: 'ceb',
};

/** cld3's spellings that differ from the gold ISO 639-1 codes. */
const CLD3_ALIASES: Readonly<Record<string, string>> = { iw: 'he', fil: 'tl', no: 'nb' };

/** Languages cld3 can answer (canonical codes), from cld3-asm's LanguageCode; others are not comparable. */
const CLD3_LANGUAGES: ReadonlySet<string> = new Set(
  (
    'eo co eu ta de mt ps te su uz ne nl sw sq hmn ja no mn so ko kk sl ig mr th zu ml hr bs lo sd cy hy uk pt lv iw ' +
    'cs vi jv be km mk tr fy am zh da sv fi ht af la id fil sm ca el ka sr it sk ru bg ny fa haw gl et ms gd ha is ur ' +
    'mi hi bn fr yi hu xh my tg ro ar lb st ceb kn az si ky mg en gu es pl ga lt sn yo pa ku'
  )
    .split(' ')
    .map(canonicalCode),
);

function canonicalCode(code: string): string {
  const lower = code.toLowerCase();
  const short = ISO639_3_TO_1[lower] ?? lower;
  return CLD3_ALIASES[short] ?? short;
}

function isJapaneseCode(code: string): boolean {
  return canonicalCode(code) === 'ja';
}

async function* readItems(path: string, onBadLine: (lineNo: number, reason: string) => void): AsyncGenerator<LangIdItem> {
  for await (const { lineNo, row: parsed } of readJsonlObjects(path, onBadLine)) {
    const row = parsed as Partial<Record<keyof LangIdItem, unknown>> | null;
    if (row === null || typeof row !== 'object' || typeof row.lang !== 'string' || typeof row.text !== 'string') {
      onBadLine(lineNo, 'missing string "lang" or "text"');
      continue;
    }
    yield { lang: row.lang, text: row.text, source: typeof row.source === 'string' ? row.source : '' };
  }
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > EXAMPLE_TEXT_CHARS ? `${oneLine.slice(0, EXAMPLE_TEXT_CHARS)}…` : oneLine;
}

function describe(guess: LanguageGuess): string {
  return `${guess.lang} ${guess.score.toFixed(2)} by ${guess.by}`;
}

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'langid', 'JSONL with {"lang","text","source"} per line (lang ISO 639-1 or 639-3)');
  if (!existsSync(args.data)) {
    console.error(`no such file: ${args.data}`);
    process.exit(2);
  }
  const detector = await createLanguageDetector();
  const encoder = new TextEncoder();

  let items = 0;
  let badLines = 0;
  let japaneseItems = 0;
  let truePositives = 0;
  let falsePositives = 0;
  let precheckRejectedJapanese = 0;
  let precheckRejectedJapaneseBytes = 0;
  let nonJapaneseItems = 0;
  let nonJapanesePassingText = 0;
  let nonJapanesePassingBytes = 0;
  let comparableItems = 0;
  let comparableCorrect = 0;
  let detectMs = 0;
  let identifyMs = 0;
  const confusion = { ja_as_zh: 0, ja_as_ko: 0, ja_as_other: 0, zh_as_ja: 0, ko_as_ja: 0, other_as_ja: 0 };
  const decidedBy = { precheck: 0, cld3: 0, script: 0 };
  const missedJapanese: string[] = [];
  const falseJapanese: string[] = [];
  const byteRejectedJapanese: string[] = [];

  const report = (lineNo: number, reason: string): void => {
    badLines++;
    if (badLines <= MAX_EXAMPLES_PRINTED) console.log(`skipped line ${lineNo}: ${reason}`);
  };

  for await (const item of readItems(args.data, report)) {
    items++;
    const gold = canonicalCode(item.lang);
    const goldJapanese = isJapaneseCode(item.lang);

    const started = performance.now();
    const guess = detector.detect(item.text);
    detectMs += performance.now() - started;
    decidedBy[guess.by]++;
    const predictedJapanese = guess.lang === 'ja';
    const passesText = hasJapaneseText(item.text);
    const passesBytes = hasJapaneseBytes(encoder.encode(item.text));

    if (goldJapanese) {
      japaneseItems++;
      if (predictedJapanese) truePositives++;
      else {
        if (guess.lang === 'zh') confusion.ja_as_zh++;
        else if (guess.lang === 'ko') confusion.ja_as_ko++;
        else confusion.ja_as_other++;
        if (missedJapanese.length < MAX_EXAMPLES_PRINTED) missedJapanese.push(`  [${describe(guess)}] ${preview(item.text)}`);
      }
      if (!passesText) precheckRejectedJapanese++;
      if (!passesBytes) {
        precheckRejectedJapaneseBytes++;
        if (byteRejectedJapanese.length < MAX_EXAMPLES_PRINTED) byteRejectedJapanese.push(`  ${preview(item.text)}`);
      }
    } else {
      nonJapaneseItems++;
      if (passesText) nonJapanesePassingText++;
      if (passesBytes) nonJapanesePassingBytes++;
      if (predictedJapanese) {
        falsePositives++;
        if (gold === 'zh') confusion.zh_as_ja++;
        else if (gold === 'ko') confusion.ko_as_ja++;
        else confusion.other_as_ja++;
        if (falseJapanese.length < MAX_EXAMPLES_PRINTED) falseJapanese.push(`  [${item.lang} → ${describe(guess)}] ${preview(item.text)}`);
      }
    }

    if (CLD3_LANGUAGES.has(gold)) {
      comparableItems++;
      const started = performance.now();
      const identified = detector.identify(item.text);
      identifyMs += performance.now() - started;
      if (canonicalCode(identified.lang) === gold) comparableCorrect++;
    }
  }
  detector.dispose();

  const precision = truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives);
  const recall = japaneseItems === 0 ? 0 : truePositives / japaneseItems;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

  console.log(`items ${items} (japanese ${japaneseItems}), skipped lines ${badLines}`);
  console.log(`decided by: precheck ${decidedBy.precheck}, cld3 ${decidedBy.cld3}, script rules ${decidedBy.script}`);
  console.log(`Japanese missed (${japaneseItems - truePositives}):`);
  for (const line of missedJapanese) console.log(line);
  console.log(`non-Japanese detected as ja (${falsePositives}):`);
  for (const line of falseJapanese) console.log(line);
  console.log(`Japanese whose UTF-8 bytes fail hasJapaneseBytes (${precheckRejectedJapaneseBytes}):`);
  for (const line of byteRejectedJapanese) console.log(line);

  printScores({
    eval: 'langid',
    data: args.data,
    items,
    japanese_items: japaneseItems,
    precision: round(precision),
    recall: round(recall),
    f1: round(f1),
    precheck_rejected_japanese: precheckRejectedJapanese,
    precheck_rejected_japanese_bytes: precheckRejectedJapaneseBytes,
    precheck_pass_rate_non_japanese: round(nonJapaneseItems === 0 ? 0 : nonJapanesePassingText / nonJapaneseItems),
    precheck_bytes_pass_rate_non_japanese: round(nonJapaneseItems === 0 ? 0 : nonJapanesePassingBytes / nonJapaneseItems),
    accuracy_comparable: round(comparableItems === 0 ? 0 : comparableCorrect / comparableItems),
    comparable_items: comparableItems,
    confusion,
    items_per_s: Math.round(detectMs === 0 ? 0 : (items * 1000) / detectMs),
    // Every item through cld3 (no pre-check): the cost of a text that passes the pre-check.
    cld3_path_items_per_s: Math.round(identifyMs === 0 ? 0 : (comparableItems * 1000) / identifyMs),
  });
}
