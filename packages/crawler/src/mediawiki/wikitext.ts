/**
 * Wikitext → plain text, for Japanese Wikipedia articles.
 *
 * The reference is what LLM-jp's `ja_wiki` was made from: the Hugging Face `wikipedia` builder, which
 * parses with mwparserfromhell and keeps `strip_code()` of every section — templates, `<ref>`s, tables,
 * file links and magic words removed, link labels and section titles kept. We follow it, with four
 * deliberate differences (docs/decisions.md, "Wikipedia"):
 * 1. Inline templates that carry the sentence's own words are expanded instead of deleted: on jawiki
 *    `{{仮リンク|名前|en|Name}}` (a link to an article that exists only in another language) and
 *    `{{読み仮名|漢字|かな}}` stand inside running text, and deleting them leaves "…、を経て…" gaps.
 * 2. Category links are removed; the builder leaves their names in place at the end of the text.
 * 3. Trailing apparatus sections (脚注, 出典, 参考文献, 関連項目, 外部リンク, …) are dropped whole:
 *    after templates go they hold only bibliography lines and link lists.
 * 4. A heading whose section is left empty is dropped with it.
 *
 * wtf_wikipedia (the maintained npm parser) was measured and not used: it drops section titles, drops
 * the text of 仮リンク/読み仮名/要出典範囲, and rewrites "。" as ". " when it re-joins sentences.
 */

/** Section titles whose whole section is apparatus, not article text (matched after trimming). */
export const APPARATUS_SECTIONS: ReadonlySet<string> = new Set([
  '脚注',
  '注釈',
  '注',
  '出典',
  '参考文献',
  '参考資料',
  '関連文献',
  '関連書籍',
  '関連項目',
  '外部リンク',
  '外部サイト',
  'References',
  'Notes',
  'External links',
  'See also',
]);

/** Namespaces whose links are media or categories, removed with their captions (ja + en + canonical names). */
const MEDIA_NAMESPACES = /^\s*:?\s*(?:file|image|media|ファイル|画像|メディア)\s*:/i;
const CATEGORY_NAMESPACE = /^\s*(?:category|カテゴリ)\s*:/i;
/** Interlanguage links (`[[en:Foo]]`): two or three letters, optionally with a region, then a colon. */
const INTERLANGUAGE = /^\s*[a-z]{2,3}(?:-[a-z]{2,8})*\s*:/;

/** Tags removed with their content. */
const DROPPED_TAGS = ['ref', 'references', 'gallery', 'math', 'chem', 'timeline', 'score', 'graph', 'mapframe', 'maplink', 'syntaxhighlight', 'source', 'templatedata', 'imagemap', 'noinclude', 'includeonly', 'inputbox', 'categorytree'];
const DROPPED_TAG = new RegExp(String.raw`<(${DROPPED_TAGS.join('|')})(?:\s[^>]*)?(?:/>|>[\s\S]*?</\1\s*>)`, 'gi');
const SELF_CLOSING_DROPPED = new RegExp(String.raw`<(?:${DROPPED_TAGS.join('|')})\b[^>]*/?>`, 'gi');
const LINE_BREAK_TAG = /<br\s*\/?>/gi;
const ANY_TAG = /<\/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?\/?>/g;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const NOWIKI = /<nowiki\s*>([\s\S]*?)<\/nowiki\s*>/gi;
const MAGIC_WORD = /__[A-Z]+__/g;

// ---- templates ----

type TemplateRenderer = (args: TemplateArgs) => string;

interface TemplateArgs {
  /** Positional arguments, 1-based in wikitext; here index 0 is argument 1. */
  positional: string[];
  named: Map<string, string>;
}

const first: TemplateRenderer = (a) => a.positional[0] ?? '';
const second: TemplateRenderer = (a) => a.positional[1] ?? '';
/** 漢字（かな）: how the reading is shown on the page, in full-width parentheses. */
const withReading: TemplateRenderer = (a) => {
  const base = a.positional[0] ?? '';
  const reading = a.positional[1] ?? '';
  return reading.length > 0 ? `${base}（${reading}）` : base;
};
const date = (y: string | undefined, m: string | undefined, d: string | undefined): string =>
  y === undefined ? '' : `${y}年${m === undefined ? '' : `${m}月`}${m === undefined || d === undefined ? '' : `${d}日`}`;

/**
 * Templates rendered as text (by lower-cased name; spaces and underscores are the same in MediaWiki
 * names). Everything else is removed, as mwparserfromhell's `strip_code` does. The list is the inline
 * templates of Japanese articles whose output is part of the sentence.
 */
const INLINE_TEMPLATES = new Map<string, TemplateRenderer>([
  ['仮リンク', first],
  ['ill2', first],
  ['lang', second],
  ['読み仮名', withReading],
  ['読み仮名 ruby不使用', withReading],
  ['読み仮名_ruby不使用', withReading],
  ['ruby', withReading],
  ['ruby-ja', withReading],
  ['nowrap', first],
  ['nobr', first],
  ['small', first],
  ['smaller', first],
  ['larger', first],
  ['big', first],
  ['color', second],
  ['en', first],
  ['補助漢字フォント', first],
  ['jis2004フォント', first],
  ['unicode', first],
  ['visible anchor', first],
  ['vanchor', first],
  ['anchors', () => ''],
  ['subst', () => ''],
  ['生年月日と年齢', (a) => date(a.positional[0], a.positional[1], a.positional[2])],
  ['死亡年月日と没年齢', (a) => date(a.positional[3], a.positional[4], a.positional[5])],
  ['没年齢', () => ''],
  ['年数', () => ''],
  ['convert', (a) => `${a.positional[0] ?? ''} ${a.positional[1] ?? ''}`.trim()],
  ['jpy', (a) => `${a.positional[0] ?? ''}円`],
  ['!', () => '|'],
  ['=', () => '='],
]);

/** `{{lang-en|…}}`, `{{lang-en-short|…}}`: the foreign text itself, without the language label. */
const LANG_X = /^lang-[a-z-]+$/;
/** `{{要出典範囲|text|date=…}}` and the other "…範囲" (span) maintenance templates wrap article text. */
const SPAN_MAINTENANCE = /範囲$/;

function renderTemplate(inner: string): string {
  const parts = splitTopLevel(inner, '|');
  const rawName = parts[0] ?? '';
  // Parser functions ({{#if:…}}) and magic words ({{DEFAULTSORT:…}}, {{PAGENAME}}) are page plumbing.
  if (rawName.trimStart().startsWith('#') || /^\s*[A-Z]+:/.test(rawName)) return '';
  const name = rawName.trim().replace(/_/g, ' ').replace(/\s+/g, ' ').toLowerCase();
  const args: TemplateArgs = { positional: [], named: new Map() };
  for (const part of parts.slice(1)) {
    const eq = topLevelEquals(part);
    if (eq >= 0) args.named.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    else args.positional.push(part.trim());
  }
  const renderer = INLINE_TEMPLATES.get(name);
  if (renderer !== undefined) return renderer(args);
  if (LANG_X.test(name)) return args.positional[0] ?? '';
  if (SPAN_MAINTENANCE.test(name)) return args.positional[0] ?? '';
  return '';
}

/** Index of the first `=` not inside a nested link or template (a named argument), else -1. */
function topLevelEquals(part: string): number {
  return topLevelIndices(part, '=', 1)[0] ?? -1;
}

/** Splits on `sep` outside nested `{{…}}` and `[[…]]`. */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const i of topLevelIndices(text, sep, Infinity)) {
    out.push(text.slice(start, i));
    start = i + 1;
  }
  out.push(text.slice(start));
  return out;
}

/** Positions of `char` outside nested `{{…}}` and `[[…]]`, the first `limit` of them. */
function topLevelIndices(text: string, char: string, limit: number): number[] {
  const found: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length && found.length < limit; i++) {
    const c = text[i]!;
    if ((c === '{' || c === '[') && text[i + 1] === c) {
      depth++;
      i++;
    } else if ((c === '}' || c === ']') && text[i + 1] === c) {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === char && depth === 0) found.push(i);
  }
  return found;
}

/**
 * Replaces every `{{…}}` (innermost first, so an argument is already rendered when its template is)
 * and every `{|…|}` table. Unbalanced braces are left as text: a page with a stray `{{` keeps its words.
 */
function expandTemplatesAndTables(text: string): string {
  let out = text;
  // Innermost templates first; bounded by the nesting depth, each pass removes one level.
  for (let pass = 0; pass < 64; pass++) {
    const next = out.replace(INNERMOST_TEMPLATE, (_, inner: string) => renderTemplate(inner));
    if (next === out) break;
    out = next;
  }
  return removeTables(out);
}
/** A `{{…}}` with no `{{` or `}}` inside (template arguments `{{{1}}}` are rendered empty the same way). */
const INNERMOST_TEMPLATE = /\{\{((?:[^{}]|\{(?!\{)|\}(?!\}))*)\}\}/g;

/** Removes `{| … |}` tables (line-anchored, nested), as the builder and wikiextractor do. */
function removeTables(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  let depth = 0;
  for (const line of lines) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('{|')) {
      depth++;
      continue;
    }
    if (depth > 0) {
      if (trimmed.startsWith('|}')) depth--;
      continue;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

// ---- links ----

/** `[[target|label]]` → label, `[[target]]` → target; media, category and interlanguage links go. */
function renderLinks(text: string): string {
  let out = text;
  for (let pass = 0; pass < 16; pass++) {
    const next = out.replace(INNERMOST_LINK, (_, inner: string) => renderLink(inner));
    if (next === out) break;
    out = next;
  }
  return out;
}
const INNERMOST_LINK = /\[\[((?:[^[\]]|\[(?!\[)|\](?!\]))*)\]\]/g;

function renderLink(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  if (MEDIA_NAMESPACES.test(target) || CATEGORY_NAMESPACE.test(target)) return '';
  if (bar < 0 && INTERLANGUAGE.test(target) && !target.startsWith(':')) return '';
  if (bar >= 0) {
    const label = inner.slice(bar + 1);
    // the "pipe trick" `[[架空川 (小説)|]]` shows the target without its parenthesised part
    return label.length > 0 ? label : target.replace(/\s*\([^)]*\)\s*$/, '').replace(/^:/, '');
  }
  return target.replace(/^:/, '');
}

/** `[http://… label]` → label; a bracketed URL without a label is a footnote-style number: removed. */
const EXTERNAL_LINK = /\[(?:https?:|ftp:|\/\/)[^\s\]]*(?:\s+([^\]]*))?\]/g;

// ---- lines ----

const HEADING = /^(={1,6})\s*(.+?)\s*\1\s*$/;
const LIST_MARKER = /^[*#:;]+\s*/;
const BOLD_ITALIC = /'{2,}/g;

const NAMED_ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ensp: ' ', emsp: ' ', thinsp: ' ', ndash: '–', mdash: '—', minus: '−', times: '×', middot: '·' };
const ENTITY = /&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi;

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    const code = dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : undefined;
    if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return NAMED_ENTITIES[name!.toLowerCase()] ?? whole;
  });
}

interface Section {
  title: string | null;
  level: number;
  lines: string[];
}

/** Plain text of an article's wikitext: section titles and paragraphs, one per line, no empty lines. */
export function wikitextToText(wikitext: string): string {
  let text = wikitext.replace(/\r\n?/g, '\n').replace(COMMENT, '');
  text = text.replace(NOWIKI, (_, inner: string) => inner.replace(/[[\]{}|'=]/g, (c) => `&#${c.charCodeAt(0)};`));
  text = text.replace(DROPPED_TAG, '').replace(SELF_CLOSING_DROPPED, '');
  text = expandTemplatesAndTables(text);
  text = renderLinks(text);
  text = text.replace(EXTERNAL_LINK, (_, label: string | undefined) => label ?? '');
  text = text.replace(LINE_BREAK_TAG, '\n').replace(ANY_TAG, '').replace(MAGIC_WORD, '').replace(BOLD_ITALIC, '');

  const sections: Section[] = [{ title: null, level: 1, lines: [] }];
  for (const rawLine of text.split('\n')) {
    const heading = HEADING.exec(rawLine);
    if (heading) {
      sections.push({ title: cleanLine(heading[2]!), level: heading[1]!.length, lines: [] });
      continue;
    }
    const line = cleanLine(rawLine.replace(LIST_MARKER, ''));
    if (line.length > 0) sections[sections.length - 1]!.lines.push(line);
  }
  return keptSections(sections).join('\n');
}

function cleanLine(line: string): string {
  return decodeEntities(line).replace(/[ \t\u00a0]+/g, ' ').trim();
}

/**
 * Lines of the sections that stay: an apparatus section goes with its subsections, and a heading goes
 * when nothing under it (its own lines or a subsection's) is left.
 */
function keptSections(sections: Section[]): string[] {
  const out: string[] = [];
  let droppingBelow = 0; // level of the apparatus heading being skipped; 0 = none
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i]!;
    if (droppingBelow > 0 && section.level > droppingBelow) continue;
    droppingBelow = 0;
    if (section.title !== null && APPARATUS_SECTIONS.has(section.title)) {
      droppingBelow = section.level;
      continue;
    }
    if (section.title !== null && !hasTextBelow(sections, i)) continue;
    if (section.title !== null) out.push(section.title);
    out.push(...section.lines);
  }
  return out;
}

/** Whether section `i` or one of its subsections keeps a line. */
function hasTextBelow(sections: Section[], i: number): boolean {
  const level = sections[i]!.level;
  for (let j = i; j < sections.length; j++) {
    const s = sections[j]!;
    if (j > i && s.level <= level) return false;
    if (s.title !== null && APPARATUS_SECTIONS.has(s.title)) continue;
    if (s.lines.length > 0) return true;
  }
  return false;
}
