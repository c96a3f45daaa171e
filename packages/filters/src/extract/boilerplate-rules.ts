/**
 * Reads what an element's class/id/role says about it: a boilerplate kind (navigation, footer, share
 * buttons, ...) or a hint that it holds the main content (`article-body`, `entry-content`, ...).
 *
 * Class names are split into tokens (`site-header__nav` → site, header, nav; `relatedPosts` → related,
 * posts) and short words are matched as whole tokens only, so `ad` never fires inside `header`,
 * `shadow` or `load`. Long, unambiguous stems (`sidebar`, `breadcrumb`, `cookie`, ...) also match
 * inside glued names such as `sharebuttons` or `commentlist`.
 */

/** Boilerplate kinds, as bits so one element can carry several. */
export const Mark = {
  None: 0,
  Navigation: 1,
  Header: 2,
  Footer: 4,
  Sidebar: 8,
  Comments: 16,
  Social: 32,
  Advert: 64,
  Related: 128,
  Overlay: 256, // cookie/consent banners, newsletter popups, modals
  Meta: 512, // tag lists, category lists, bylines and dates around the text
  Hidden: 1024,
  Caption: 2048, // figures and their captions, credits
  Form: 4096, // forms and fieldsets: search boxes, login, comment forms
} as const;

/** Elements that are boilerplate by their tag name alone (trafilatura removes the same ones). */
const TAG_MARKS = new Map<string, number>([
  ['nav', Mark.Navigation],
  ['menu', Mark.Navigation],
  ['header', Mark.Header], // only a page header counts; see container.ts
  ['footer', Mark.Footer],
  ['aside', Mark.Sidebar],
  ['figure', Mark.Caption],
  ['figcaption', Mark.Caption],
  ['dialog', Mark.Overlay],
  ['form', Mark.Form],
  ['fieldset', Mark.Form],
]);

export function tagMark(tag: string): number {
  return TAG_MARKS.get(tag) ?? Mark.None;
}

export interface ElementSignals {
  /** Bitwise OR of `Mark` values. */
  mark: number;
  /** 0 = no hint; higher = stronger evidence the element wraps the main text. */
  hint: number;
}

const NO_SIGNALS: ElementSignals = { mark: Mark.None, hint: 0 };

const TOKEN_MARKS = new Map<string, number>();
function marks(mark: number, words: string): void {
  for (const word of words.split(' ')) TOKEN_MARKS.set(word, mark);
}
marks(
  Mark.Navigation,
  'nav navbar navi navigation menu menus menubar mainmenu submenu megamenu topnav sidenav subnav breadcrumb ' +
    'breadcrumbs crumbs crumb pagination pager paging pagenav skip skiplink skiplinks dropdown hamburger toc ' +
    // Japanese templates: gnav (global nav), pankuzu/topicpath (breadcrumbs), pagetop (back-to-top link)
    'gnav gnavi globalnav localnav lnav sidemenu pankuzu topicpath pagetop',
);
marks(Mark.Footer, 'footer foot copyright colophon');
marks(Mark.Sidebar, 'sidebar aside rail sidebox');
marks(Mark.Comments, 'comment comments commentlist disqus respond replies discussion');
marks(
  Mark.Social,
  'share shares sharing sharebar social sns sharethis addthis shariff socialmedia instagram facebook ' +
    'pinterest whatsapp linkedin',
);
marks(
  Mark.Advert,
  'ad ads adv advert adverts advertisement advertising adsense adsbygoogle adslot adunit sponsor sponsored ' +
    'sponsors promo promos promotion dfp taboola outbrain commercial affiliate cta',
);
// kanren (関連, related), osusume (おすすめ, recommended), ranking (popular lists on Japanese sites)
marks(Mark.Related, 'related recommended recommendations recommend trending popular kanren osusume ranking');
marks(
  Mark.Overlay,
  'cookie cookies consent gdpr cmp popup modal overlay newsletter subscribe subscription signup login',
);
// Bylines, dates, reading times, ratings and tag lists around the text: the class words trafilatura's
// discard XPaths and readability's unlikely-candidate pattern (byline, meta, date, rating, tags) look for.
marks(
  Mark.Meta,
  'tags tagcloud taglist categories byline postmeta entrymeta author authors bio saboxplugin meta metadata ' +
    'date dateline timestamp pubdate postdate posted published readtime readingtime rating ratings stars',
);
marks(Mark.Caption, 'caption captions credit credits');

/** Stems long and specific enough to trust inside glued class names (`relatedposts`, `cookiebar`). */
const GLUED_STEMS: ReadonlyArray<readonly [RegExp, number]> = [
  [/sidebar/, Mark.Sidebar],
  [/breadcrumb/, Mark.Navigation],
  [/navigation|navbar|mainmenu|megamenu/, Mark.Navigation],
  [/pagination|nextstory|nextpost|prevpost|prevnext|postnav/, Mark.Navigation],
  [/cookie|consent|gdpr/, Mark.Overlay],
  [/newsletter/, Mark.Overlay],
  [/comment(?!ary)/, Mark.Comments],
  [/disqus/, Mark.Comments],
  [/related/, Mark.Related],
  [/footer/, Mark.Footer],
  [/social|sharing|sharebar|sharebutton|sharetools|shareicon|sharedaddy/, Mark.Social],
  [/advert|sponsor|adsbygoogle|adsense|affiliate/, Mark.Advert],
  [/byline|readingtime|postmeta|entrymeta/, Mark.Meta],
];

/** Class names that hide an element (utility classes of Bootstrap, WordPress, Tailwind, ...). */
const HIDING_CLASSES = new Set([
  'hidden',
  'hide',
  'is-hidden',
  'd-none',
  'sr-only',
  'visually-hidden',
  'visuallyhidden',
  'screen-reader-text',
  'screen-reader-only',
  'invisible',
  'offscreen',
]);

/** A class ending in a state (`modal-enabled`, `menu-open`) says how the page behaves, not what this is. */
const STATE_WORDS = new Set(['enabled', 'disabled', 'active', 'open', 'opened', 'visible', 'ready', 'loaded', 'initialized']);

const ANY_GLUED_STEM = new RegExp(GLUED_STEMS.map(([stem]) => stem.source).join('|'));

/** Words that turn the next token into a layout modifier (`has-sidebar`, `no-comments`), not a part. */
const MODIFIERS = new Set(['has', 'with', 'no', 'without', 'hide', 'show', 'is', 'toggle', 'open']);

/**
 * Class-name shapes of the main text container, as token sequences joined without separators
 * (`article__body` → `articlebody`). Japanese CMSs use romaji: kiji (記事, article), honbun (本文, body).
 */
const STRONG_HINT =
  /articlebody|articlecontent|articletext|articledetail|articleinner|articlecopy|postcontent|postbody|posttext|postentry|entrycontent|entrybody|entrytext|storybody|storycontent|storytext|newsbody|newscontent|newstext|bodytext|textcontent|maincontent|contentmain|contentbody|pagecontent|blogpost|blogcontent|kiji|honbun|maintext|richtext/;
const MEDIUM_HINT_TOKENS = new Set(['article', 'content', 'entry', 'post', 'story', 'main', 'text', 'hentry', 'blog', 'body']);

const ROLE_MARKS = new Map<string, number>([
  ['navigation', Mark.Navigation],
  ['menu', Mark.Navigation],
  ['menubar', Mark.Navigation],
  ['search', Mark.Navigation],
  ['banner', Mark.Header],
  ['contentinfo', Mark.Footer],
  ['complementary', Mark.Sidebar],
  ['dialog', Mark.Overlay],
  ['alertdialog', Mark.Overlay],
]);

export const HintStrength = {
  /** A class/id token such as `content` or `post`: weak, many wrappers carry it. */
  Weak: 1,
  /** `<article>`, `<main>`, role=main. */
  Element: 2,
  /** A class/id naming the article body (`entry-content`, `article__body`). */
  NamedBody: 3,
  /** `itemprop="articleBody"`: schema.org markup written for machines. */
  Schema: 4,
} as const;

// Class names repeat heavily within and across pages (`menu-item`, `entry-content`); caching the analysis
// per name keeps the per-element cost at a split and a few Map lookups. Cleared when large so memory
// stays bounded on long runs.
const NAME_CACHE = new Map<string, ElementSignals>();
const NAME_CACHE_LIMIT = 50_000;

/** Analyses class and id attribute values (either may be empty). */
export function classSignals(className: string, id: string): ElementSignals {
  let mark = 0;
  let hint = 0;
  if (className.length > 0) {
    if (!WHITESPACE.test(className)) {
      const signals = nameSignals(className);
      mark = signals.mark;
      hint = signals.hint;
    } else {
      for (const name of className.split(WHITESPACE_RUN)) {
        if (name.length === 0) continue;
        const signals = nameSignals(name);
        mark |= signals.mark;
        if (signals.hint > hint) hint = signals.hint;
      }
    }
  }
  if (id.length > 0) {
    const signals = nameSignals(id.trim());
    mark |= signals.mark;
    if (signals.hint > hint) hint = signals.hint;
  }
  return mark === 0 && hint === 0 ? NO_SIGNALS : { mark, hint };
}
const WHITESPACE = /\s/;

/** Whether a class attribute holds a hiding utility class (`sr-only`, `hidden`); cheap, for inline elements. */
export function hidesElement(className: string): boolean {
  if (!HIDING_HINT.test(className)) return false;
  for (const name of className.split(WHITESPACE_RUN)) if (HIDING_CLASSES.has(name.toLowerCase())) return true;
  return false;
}
const HIDING_HINT = /hid|none|only|invisible|offscreen/i;
const WHITESPACE_RUN = /\s+/;

/**
 * Every word any rule looks for, as one case-insensitive test: most class names (`css-1x2y3z`,
 * `col-md-6`) contain none and skip tokenisation. A superset of the rules, so it never changes a result.
 */
const MIGHT_SIGNAL = new RegExp(
  [
    ...TOKEN_MARKS.keys(),
    ...HIDING_CLASSES,
    ...MEDIUM_HINT_TOKENS,
    ...GLUED_STEMS.map(([stem]) => stem.source),
    STRONG_HINT.source,
    'header',
    'user',
    'poster',
    'questioner',
    'asker',
    'masthead',
    'topbar',
    'widget',
  ].join('|'),
  'i',
);

function nameSignals(name: string): ElementSignals {
  let signals = NAME_CACHE.get(name);
  if (signals === undefined) {
    signals = analyseName(name);
    if (NAME_CACHE.size >= NAME_CACHE_LIMIT) NAME_CACHE.clear();
    NAME_CACHE.set(name, signals);
  }
  return signals;
}

export function roleSignals(role: string): ElementSignals {
  const lower = role.trim().toLowerCase();
  if (lower === 'main') return { mark: Mark.None, hint: HintStrength.Element };
  if (lower === 'article') return { mark: Mark.None, hint: HintStrength.Weak };
  const mark = ROLE_MARKS.get(lower);
  return mark === undefined ? NO_SIGNALS : { mark, hint: 0 };
}

/**
 * `header`, `site-header`, `masthead`: the page's banner. Not `article-header` or `entry-header` (the
 * headline and lead of the text) and not `card-header`/`modal-header` (parts of widgets).
 */
function isPageHeader(tokens: readonly string[]): boolean {
  const first = tokens[0]!;
  if (first === 'header' || first === 'masthead' || first === 'topbar' || first === 'headerbar') return true;
  return tokens.length > 1 && tokens[1] === 'header' && PAGE_HEADER_PREFIXES.has(first);
}
const PAGE_HEADER_PREFIXES = new Set(['site', 'page', 'main', 'global', 'top', 'l', 'g', 'c', 'layout']);

const SOLE_PERSON_NAMES = new Set(['user', 'username', 'userinfo', 'poster', 'questioner', 'asker']);

/** One class name or id. */
function analyseName(name: string): ElementSignals {
  if (name.length === 0 || !MIGHT_SIGNAL.test(name)) return NO_SIGNALS;
  if (HIDING_CLASSES.has(name.toLowerCase())) return { mark: Mark.Hidden, hint: 0 };
  // WordPress puts the post's taxonomy on <article> (`tag-comments`, `category-social`): not a part.
  if (/^(?:category|tag|tags|cat|format|type|status|postid|post-\d|page-id)-/i.test(name)) return NO_SIGNALS;
  // A BEM modifier (`section--ads`, `row--sidebar`) names a variant of the element, not what it is.
  const modifierAt = name.indexOf('--');
  const base = modifierAt > 0 ? name.slice(0, modifierAt) : name;
  const tokens = base
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
  if (tokens.length === 0 || STATE_WORDS.has(tokens[tokens.length - 1]!)) return NO_SIGNALS;
  const joined = tokens.join('');
  let hint = STRONG_HINT.test(joined) ? HintStrength.NamedBody : 0;
  let mark = isPageHeader(tokens) ? Mark.Header : 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (i > 0 && MODIFIERS.has(tokens[i - 1]!)) continue;
    const tokenMark = TOKEN_MARKS.get(token);
    if (tokenMark !== undefined) mark |= tokenMark;
    else if (tokens.length === 1 && MEDIUM_HINT_TOKENS.has(token)) hint = Math.max(hint, HintStrength.Weak);
  }
  // A class that is only a person word (`user`, `poster`) labels who wrote a post on Q&A boards and
  // forums; as one token of a longer name (`user-content`, GitHub's body) it means something else.
  if (tokens.length === 1 && SOLE_PERSON_NAMES.has(tokens[0]!)) mark |= Mark.Meta;
  // Page builders wrap everything in `elementor-widget-container`; WordPress sidebars start with it.
  if (tokens[0] === 'widget' || tokens[0] === 'widgets') mark |= Mark.Sidebar;
  if (mark === 0 && !MODIFIERS.has(tokens[0]!) && ANY_GLUED_STEM.test(joined)) {
    for (const [stem, stemMark] of GLUED_STEMS) if (stem.test(joined)) mark |= stemMark;
  }
  return mark === 0 && hint === 0 ? NO_SIGNALS : { mark, hint };
}
