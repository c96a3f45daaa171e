/**
 * Script evidence on decoded text: how much kana, Han, Hangul and other letters a text holds, and which
 * kanji forms (Japanese-only, or shared with just one of Traditional/Simplified Chinese). Counting is a plain loop over char codes into a caller-owned
 * record, so the pre-check allocates nothing per document.
 */

export interface ScriptCounts {
  /** Hiragana, katakana (incl. ー and halfwidth forms): written by Japanese only. */
  kana: number;
  /** CJK ideographs (incl. 々), shared by Chinese and Japanese. */
  han: number;
  hangul: number;
  /** Every letter of any script, kana/Han/Hangul included; digits, spaces and punctuation are not letters. */
  letters: number;
  /** Shinjitai and kokuji forms (広, 駅, 働, 込, ...) that neither Simplified nor Traditional Chinese uses. */
  japaneseOnlyKanji: number;
  /** Forms Japanese shares with Traditional but not Simplified Chinese (東, 選, 時). */
  traditionalForms: number;
  /** Forms Japanese shares with Simplified but not Traditional Chinese (国, 学, 会). */
  simplifiedForms: number;
  /** Characters actually looked at (the scan may stop early or at a cap). */
  scanned: number;
}

export function emptyScriptCounts(): ScriptCounts {
  return { kana: 0, han: 0, hangul: 0, letters: 0, japaneseOnlyKanji: 0, traditionalForms: 0, simplifiedForms: 0, scanned: 0 };
}

/**
 * Common Japanese kanji whose form differs from both Simplified and Traditional Chinese (e.g. 広 vs 广/廣,
 * 駅 vs 站/驛) plus frequent kokuji (働, 込, 畑). Forms that Simplified or Traditional Chinese also writes
 * (国, 学, 恋, 届, 湾, 滞, 偽, 禅, ...) are deliberately absent: one of them in a Chinese text must not count.
 */
const JAPANESE_ONLY_KANJI =
  '円駅広県図鉄関対気発経続総戦団応楽単実転伝価検験済歩黒薬営栄労働込畑枠峠帰読売恵亜悪圧囲桜絵覚観拡挙軽剣' +
  '険権厳雑歯児釈収従縦処乗焼浄譲専銭騒増蔵帯滝択沢弾遅庁聴闘徳脳廃拝髪抜払辺変満黙訳様頼覧竜両緑涙霊齢毎歳' +
  '隠穏殴勧歓巻陥戯犠拠暁駆掲渓継鶏撃倹圏顕砕斎剤桟賛渋獣粛奨剰畳縄壌嬢醸粋酔穂髄瀬斉摂繊荘捜挿巣臓稲逓鋳徴' +
  '勅塚弐悩浜塀謡猟塁録';

/**
 * Japanese forms that Traditional Chinese shares but Simplified Chinese replaced (東/东, 選/选, 時/时).
 * Alone they say nothing; next to `SIMPLIFIED_FORMS` in one short text they do (see below).
 */
const TRADITIONAL_FORMS =
  '東選訪風車長電開時間門話語見買書馬鳥魚雲園遠親頭題場報業務動運進過達連週郵銀問記議論試調談請識護認課員貨' +
  '費貿資質購贈財責貴賞敗則側測軍輪輸農陽陸隊際難霧頂順預領額顧飛飲飯館駐鳴億優係個倉備創劇勝勢協塊夢奪婦孫' +
  '導島師帳幣幹幾張強後復愛態慣憲掃換損揚擁敵構標機橋殺況減湯漁漢潔濃無熱現環異療確種積競筆節範築簡約紀紅純' +
  '紙級細終組結給統線編練縮績織義習聞職興華葉規視訓設許診評詞詩該誤諸講謝負販賀違適遺還針鋼鍵閉閣陣陳階離頁' +
  '項願類養驚鮮麗衛為';

/**
 * Japanese forms that Simplified Chinese shares but Traditional Chinese does not (国/國, 学/學, 会/會).
 * A Chinese text is written in one system, Japanese mixes both: 民主党代表選 has 党 (simplified-like) and
 * 選 (traditional-like), so a kana-less headline mixing the two is Japanese.
 */
const SIMPLIFIED_FORMS =
  '国学会体万号来党当声旧与写昼恋届湾滞辞残浅乱礼双争区医条状将参数点独担胆断属宝麦励炉虫尽寿触称随献茎狭峡' +
  '禅潜践窃枢寝叙湿惨蚕堕楼蛮画壮灯';

const HAN_BASE = 0x4e00;
const HAN_END = 0x9fff;

/** Kinds of Han forms in `hanFormTable`. */
const enum HanForm {
  Shared = 0,
  JapaneseOnly = 1,
  Traditional = 2,
  Simplified = 3,
}

/** One byte per code point of the main Han block, giving its `HanForm`: a table lookup, not a Set, keeps the scan allocation-free. */
const hanFormTable: Uint8Array = (() => {
  const table = new Uint8Array(HAN_END - HAN_BASE + 1);
  const mark = (chars: string, form: HanForm): void => {
    for (const ch of chars) {
      const code = ch.codePointAt(0)!;
      if (code >= HAN_BASE && code <= HAN_END) table[code - HAN_BASE] = form;
    }
  };
  mark(JAPANESE_ONLY_KANJI, HanForm.JapaneseOnly);
  mark(TRADITIONAL_FORMS, HanForm.Traditional);
  mark(SIMPLIFIED_FORMS, HanForm.Simplified);
  return table;
})();

export function isKana(c: number): boolean {
  return (
    (c >= 0x3041 && c <= 0x3096) || // hiragana
    (c >= 0x309d && c <= 0x309f) || // ゝゞゟ
    (c >= 0x30a1 && c <= 0x30fa) || // katakana (not ・ U+30FB, which Chinese texts use too)
    (c >= 0x30fc && c <= 0x30ff) || // ー ヽヾヿ
    (c >= 0x31f0 && c <= 0x31ff) || // small katakana for Ainu
    (c >= 0xff66 && c <= 0xff9d) // halfwidth katakana
  );
}

export function isHan(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    c === 0x3005 || // 々
    c === 0x3006 || // 〆
    (c >= 0xd840 && c <= 0xd8bf) // high surrogate of U+20000–U+3FFFF (CJK extensions B–H)
  );
}

export function isHangul(c: number): boolean {
  return (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f);
}

/**
 * Letters of other scripts, approximately: ASCII letters, and everything from U+00C0 up except the
 * punctuation/symbol blocks, CJK punctuation, fullwidth ASCII, low surrogates (the high one already
 * counted) and private use. Good enough for shares; not a Unicode property test.
 */
function isOtherLetter(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba;
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xdc00 && c <= 0xf8ff) return false;
  if (c >= 0xfe00 && c <= 0xfe6f) return false;
  if (c >= 0xff00 && c <= 0xff65) return false;
  return true;
}

/**
 * Counts scripts in `text[0 .. maxChars)` into `out` (reset first). Stops as soon as `stopAtKana` kana were
 * seen, when given (the pre-check needs no more than that).
 */
export function countScripts(text: string, maxChars: number, out: ScriptCounts, stopAtKana = Infinity): ScriptCounts {
  out.kana = 0;
  out.han = 0;
  out.hangul = 0;
  out.letters = 0;
  out.japaneseOnlyKanji = 0;
  out.traditionalForms = 0;
  out.simplifiedForms = 0;
  const end = Math.min(text.length, maxChars);
  let i = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x3000) {
      // Fast path for Latin/Cyrillic/...: no CJK below U+3000 except Hangul jamo.
      if (c >= 0x1100 && c <= 0x11ff) {
        out.hangul++;
        out.letters++;
      } else if (isOtherLetter(c)) out.letters++;
      continue;
    }
    if (isKana(c)) {
      out.kana++;
      out.letters++;
      if (out.kana >= stopAtKana) {
        i++;
        break;
      }
    } else if (isHan(c)) {
      out.han++;
      out.letters++;
      if (c >= HAN_BASE && c <= HAN_END) {
        const form = hanFormTable[c - HAN_BASE];
        if (form === HanForm.JapaneseOnly) out.japaneseOnlyKanji++;
        else if (form === HanForm.Traditional) out.traditionalForms++;
        else if (form === HanForm.Simplified) out.simplifiedForms++;
      }
    } else if (isHangul(c)) {
      out.hangul++;
      out.letters++;
    } else if (isOtherLetter(c)) out.letters++;
  }
  out.scanned = i;
  return out;
}

/** kana / letters, 0 for a text without letters. */
export function kanaShareOfLetters(counts: ScriptCounts): number {
  return counts.letters === 0 ? 0 : counts.kana / counts.letters;
}

/** kana / (kana + Han), 0 for a text without CJK. */
export function kanaShareOfCjk(counts: ScriptCounts): number {
  const cjk = counts.kana + counts.han;
  return cjk === 0 ? 0 : counts.kana / cjk;
}

/** (kana + Han) / letters. */
export function cjkShareOfLetters(counts: ScriptCounts): number {
  return counts.letters === 0 ? 0 : (counts.kana + counts.han) / counts.letters;
}

export function hanShareOfLetters(counts: ScriptCounts): number {
  return counts.letters === 0 ? 0 : counts.han / counts.letters;
}
