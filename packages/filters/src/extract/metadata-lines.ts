/**
 * Recognises a line that is page metadata rather than text: a byline, a date or time, a reading time,
 * a rating, a view or comment count, a category or tag list, an "Advertisement" label, a photo credit.
 * trafilatura drops these through its XPaths on byline/date/tag containers and readability through
 * its "unlikely candidate" class pattern; both depend on the markup saying so. Many templates (and most
 * Japanese CMSs) write them as a plain `<p>` or `<span>` inside the article, so here the words decide.
 *
 * A line counts only when ALL of it is metadata: it is cut at the separators such lines use (`·`, `|`,
 * ` / `, ` - `, `｜`, two or more spaces, an ideographic space) and every segment must be one of the shapes
 * below. A sentence that merely contains a date ("Am 12. März 2021 beschloss der Rat ...") or starts
 * with "By" ("By the end of the year ...") is never one of them: each shape is anchored at both ends
 * and leaves no room for a clause.
 */

// ---- dates and times ----

const MONTHS = [
  // English, German, French, Spanish, Portuguese, Italian: the languages of the benchmark pages and of
  // the mixed-language pages our crawl keeps; abbreviations with or without the dot.
  'january|february|march|april|may|june|july|august|september|october|november|december',
  'jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec',
  'januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|okt|dez|mär',
  'janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|janv|févr|avr|juil|déc',
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|ene|abr|ago|dic',
  'janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|fev|out|dez',
  'gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|genn|giu|lug|ott',
].join('|');

const WEEKDAYS = [
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun',
  'montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|mo|di|mi|do|fr|sa|so',
  'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche',
  'lunes|martes|miércoles|jueves|viernes|sábado|domingo',
  'segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|segunda|terça|quarta|quinta|sexta',
  'lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica',
].join('|');

/** Words that introduce a date or name an author in a byline ("Published on", "Aktualisiert am", "投稿日"). */
const DATE_LABELS = [
  'published|posted|updated|last updated|last modified|modified|created|date|released|written|first published|on|at|the|of|and|by',
  'veröffentlicht|aktualisiert|zuletzt aktualisiert|erstellt|geändert|stand|datum|am|um|uhr|vom|den|der',
  'publié|publié le|mis à jour|mis à jour le|le|à|du|de|del|el|las|la|às|em|a|alle|il',
  'publicado|actualizado|atualizado|pubblicato|aggiornato|fecha|data|hace|ago',
].join('|');
// Japanese labels are matched without word boundaries (no spaces between words).
const JA_DATE_LABELS = '最終更新日時|最終更新日|最終更新|投稿日時|投稿日|更新日時|更新日|公開日時|公開日|作成日|掲載日|配信日|発行日|投稿|更新|公開|掲載|配信';

// JavaScript's \b only knows ASCII letters: `lunedì\b` would never match before a space.
const WORD_START = String.raw`(?<![\p{L}\p{N}])`;
const WORD_END = String.raw`(?![\p{L}\p{N}])`;

const DATE_PIECES = new RegExp(
  [
    // 2026-01-29, 29.01.2026, 01/29/26, 2026/02/21, 2026-01-29T10:00:00Z
    String.raw`(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}\/\d{1,2})(?:T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`,
    // 2026年1月29日, 1月29日, 令和8年, 29日
    String.raw`(?:令和|平成|昭和)?\d{1,4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月(?:\d{1,2}日)?|\d{1,2}日`,
    // 22:14, 3:59 PM, 08:30 Uhr, 10h30, 午後3時15分; not a lap time (2:28,29), which is data
    String.raw`(?:午前|午後)?\d{1,2}[:時h]\d{2}(?::\d{2})?(?![,.]\d)(?:分)?\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h)?`,
    // （月）, (Sat.), [火]
    String.raw`[(（\[][月火水木金土日](?:曜日?)?[)）\]]`,
    // 12th, 3., 2026
    String.raw`\d{1,4}(?:st|nd|rd|th|er|º|ª|\.)?`,
    String.raw`${WORD_START}(?:${MONTHS}|${WEEKDAYS})${WORD_END}\.?`,
    String.raw`${WORD_START}(?:${DATE_LABELS})${WORD_END}`,
    JA_DATE_LABELS,
    String.raw`[月火水木金土日]曜日?`,
  ].join('|'),
  'giu',
);
/** A date proper, not a bare number (a table cell "2019" or "1,532" is data, not a dateline). */
const HAS_DATE = new RegExp(
  String.raw`\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)|\d{1,2}[:時h]\d{2}(?![,.]?\d)|\d\s*[年月日]|${WORD_START}(?:${MONTHS})${WORD_END}`,
  'iu',
);
const LEFTOVER = /[\p{L}\p{N}]/u;

/** "Published on 2026-01-29", "Montag, 12. März 2021, 08:30 Uhr", "2018年8月16日（木）", "19:49". */
function isDateSegment(segment: string): boolean {
  if (!HAS_DATE.test(segment) || segment.length > 80) return false;
  return !LEFTOVER.test(segment.replace(DATE_PIECES, ' '));
}

// ---- other metadata shapes ----

/** "6 min read", "Lesezeit: 3 Minuten", "Tempo de leitura: 2 minutos", "読了時間：約5分", "この記事は約3分で読めます". */
const READING_TIME = new RegExp(
  String.raw`^(?:(?:reading time|read time|time to read|lesezeit|lesedauer|tempo de leitura|tiempo de lectura|temps de lecture|tempo di lettura|読了時間|読む時間|この記事は)\s*[:：]?\s*)?` +
    String.raw`(?:ca\.|about|approx\.?|around|約|およそ)?\s*(?:\d+|<\s*\d+|\d+\s*[-–]\s*\d+)\s*` +
    String.raw`(?:min(?:ute)?s?|minuten|minutos?|minuti|分)\.?\s*` +
    String.raw`(?:read|reading|lesezeit|lesen|de leitura|de lectura|de lecture|di lettura|で読めます|で読める|read time)?$`,
  'iu',
);
const READ_WORD = /read|lese|leitura|lectura|lecture|lettura|読/iu;

/** "★★★★☆ 4.0", "評価：★★★☆☆", "4.5/5 ★". */
const RATING = /^(?:(?:rating|bewertung|評価|おすすめ度|満足度)\s*[:：]?\s*)?(?:[★☆✩✪⭐]{1,10}\s*)?(?:\(?\d(?:[.,]\d{1,2})?\s*(?:\/\s*(?:5|10)|点|stars?|sterne)?\)?)?\s*(?:[★☆✩✪⭐]{1,10})?$/iu;
const HAS_STAR = /[★☆✩✪⭐]/u;

/** "閲覧数：1,532", "1,532 views", "12 Kommentare", "コメント(3)", "PV: 10,000". */
const COUNT =
  /^(?:(?:閲覧数|閲覧|アクセス数|コメント数?|いいね|views?|comments?|kommentare?|commentaires?|comentarios?|comentários?|commenti|pv)\s*[:：(（]?\s*[\d,.]+\s*(?:件|回|人)?[)）]?|[\d,.]+\s*(?:views?|comments?|kommentare?|commentaires?|comentarios?|comentários?|commenti|aufrufe|件のコメント|回閲覧|views))$/iu;

/**
 * "Category: Press Releases", "Kategorie: News", "質問者：タロウさん", "Autor: Max Muster". The value must
 * be short: a label followed by a sentence is a sentence.
 */
const LABELLED_VALUE = new RegExp(
  String.raw`^(?:categor(?:y|ies)|filed under|published by|posted by|publicado por|publié par|pubblicato da|veröffentlicht von|posted in|tags?|tagged|topics?|author|authors|written by|photo|photos|image|foto|fotos|bild|credit|credits|source|quelle|kategorie|kategorien|rubrik|schlagwörter|schlagworte|stichwörter|themen|autor|autorin|autoren|catégories?|étiquettes|auteur|categoría|categorías|etiquetas|categoria|categorias|etichette|fonte|fuente|crédito|créditos|カテゴリー?|タグ|ジャンル|投稿者|質問者|回答者|著者|執筆者|筆者|文|記者|撮影|写真|画像|出典|提供)\s*[:：]\s*\S.{0,60}$`,
  'iu',
);

/**
 * A byline that is only names: "By Jane Doe", "Von Max Muster und Erika Mustermann", "Por Ana Pérez",
 * "文：山田太郎". The name part is capitalised words (or a few CJK characters), nothing else.
 */
const BYLINE = /^(?:[Bb]y|BY|[Vv]on|VON|[Pp]or|POR|[Pp]ar|PAR|[Tt]ext|[Tt]exto|[Ww]ritten by)\s+\p{Lu}[\p{L}.'’-]*(?:(?:\s+|,\s*|\s+(?:and|und|y|e|et)\s+)\p{Lu}[\p{L}.'’-]*){0,6}$/u;

/** Labels standing alone: ad markers, "Updated", link-button words left over from widgets. */
const LONE_LABEL =
  /^(?:advertisement|advertising|advert|ad|sponsored|sponsored content|anzeige|werbung|publicidad|publicité|pubblicità|publicidade|広告|スポンサーリンク|スポンサードリンク|pr|updated|aktualisiert|actualizado|atualizado|mis à jour|permalink|permalien|share|teilen|partager|compartir|compartilhar|condividi|シェア|print|drucken|imprimir|imprimer|stampa|comments?|kommentare|comentarios|commentaires|コメント|caption|close|schließen|cerrar|fermer)$/iu;

/** "#typescript #node", "#旅行". */
const HASHTAGS = /^(?:[#＃][\p{L}\p{N}_-]+\s*)+$/u;

/** WordPress and friends' footer sentence: "This entry was posted in News on May 1, 2019 by admin." */
const POSTED_IN = /^(?:this entry was posted|this entry was filed|dieser (?:eintrag|beitrag) wurde .{0,80}veröffentlicht|posted in|filed under)\b.{0,200}$/iu;

/**
 * A copyright notice or a credit: "Copyright © 2020 by: example.com • Design by: …", "(c) 2019 Verlag",
 * "Der Bergsteiger am Gipfel. © dpa / Max Muster". In a short line the sign marks the line as the page's or
 * the picture's legal small print; prose names the sign in words when it means it.
 */
const COPYRIGHT = /©|^(?:copyright\s*(?:\(c\)\s*)?\d{4}|\(c\)\s*\d{4})/iu;

/**
 * An advertising or affiliate disclosure: "Dieser Beitrag enthält Werbung", "This post contains affiliate
 * links", "本記事はプロモーションを含みます". Required by law or by the networks, identical on every page.
 */
const DISCLOSURE =
  /affiliate[- ]?links?|(?:enthält|beinhaltet) (?:unbezahlte |bezahlte )?werbung|(?:contains|includes) (?:paid |sponsored )?(?:advertising|affiliate)|sponsored post|bezahlte partnerschaft|werbung\s*(?:\(|\/|[|:])\s*(?:unbezahlt|bezahlt|affiliate)|enlaces de afiliados|liens affiliés|link di affiliazione|プロモーションを含み|アフィリエイト広告|広告を含み/iu;

/** "Follow us on …", "Síguenos en …", "Subscribe to our newsletter": a prompt opening the line, any language of ours. */
const FOLLOW_PROMPT =
  /^[*\s]*(?:follow us|folge uns|folgt uns|folgen sie uns|s[ií]guenos|suivez[- ]nous|seguici|siga[- ]nos|subscribe to (?:our|the) newsletter|sign up for (?:our|the) newsletter|abonniere unseren newsletter|abonnieren sie unseren newsletter|suscr[ií]bete a (?:nuestro|nuestra)|abonnez[- ]vous à notre|iscriviti alla nostra|inscreva-se (?:na|em) nossa)\b/iu;

const SEPARATORS = /\s*(?:[·•|｜]|\s[-–—/]\s|\s{2,}|\u3000)\s*/u;

function isMetadataSegment(segment: string): boolean {
  if (segment.length === 0) return true;
  if (LONE_LABEL.test(segment) || HASHTAGS.test(segment) || COUNT.test(segment)) return true;
  if (HAS_STAR.test(segment) && RATING.test(segment)) return true;
  if (READ_WORD.test(segment) && READING_TIME.test(segment)) return true;
  if (LABELLED_VALUE.test(segment) || BYLINE.test(segment)) return true;
  return isDateSegment(segment);
}

/** Longest line considered: metadata lines are short; a long line is text whatever it mentions. */
const MAX_METADATA_LINE = 160;

/** Whether the whole line is page metadata (see the module comment). */
export function isMetadataLine(line: string): boolean {
  const text = line.trim();
  if (text.length === 0 || text.length > MAX_METADATA_LINE) return false;
  if (POSTED_IN.test(text) || COPYRIGHT.test(text) || DISCLOSURE.test(text) || FOLLOW_PROMPT.test(text)) return true;
  // A label's value may contain a separator ("Category: News / Local"); try the whole line first.
  if (isMetadataSegment(text)) return true;
  const segments = text.split(SEPARATORS);
  if (segments.length === 1) return false;
  return segments.every((segment) => isMetadataSegment(segment.trim()));
}
