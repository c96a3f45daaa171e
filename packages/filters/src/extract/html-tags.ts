/** What the block-tree builder needs to know about a tag name. Unknown tags are inline. */
export const TagRole = {
  Inline: 0,
  /** Starts and ends a text block and becomes a node of the block tree. */
  Block: 1,
  /** Content never shown as text (scripts, media, form controls, ruby readings). */
  Drop: 2,
  /** Produces no content (img, meta, ...). */
  Void: 4,
  /** `<br>`: a line break inside the current block. */
  LineBreak: 8,
  /** Whitespace is significant inside it. */
  Preformatted: 16,
  /** `<a>`: text inside counts towards link density. */
  Link: 32,
  /** svg/math: self-closing tags close themselves (XML rules). */
  Foreign: 64,
} as const;

const ROLES = new Map<string, number>();
function define(role: number, names: string): void {
  for (const name of names.split(' ')) ROLES.set(name, (ROLES.get(name) ?? 0) | role);
}

define(
  TagRole.Block,
  'address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption figure ' +
    'picture footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary table ' +
    'tbody td tfoot th thead tr ul frameset noframes',
);
define(
  TagRole.Drop,
  'script style noscript template svg math iframe object embed applet canvas video audio map head ' +
    'select option optgroup datalist button textarea input rt rp rtc frame ins label legend menuitem output progress meter',
);
define(TagRole.Void, 'area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr');
define(TagRole.LineBreak, 'br');
define(TagRole.Preformatted, 'pre listing plaintext');
define(TagRole.Link, 'a');
define(TagRole.Foreign, 'svg math');

export function tagRole(name: string): number {
  const role = ROLES.get(name);
  if (role !== undefined) return role;
  // Custom elements (`<amp-ad>`, `<my-article>`) are laid out as boxes far more often than inline.
  return name.includes('-') ? TagRole.Block : TagRole.Inline;
}

/**
 * Opening tag → tags it closes while they are the current element (HTML's implied end tags, the
 * same table htmlparser2's Parser uses). Only the top of the stack is checked, so this is O(1).
 */
const P = ['p'];
export const OPEN_IMPLIES_CLOSE = new Map<string, readonly string[]>([
  ['tr', ['tr', 'th', 'td']],
  ['th', ['th']],
  ['td', ['thead', 'th', 'td']],
  ['body', ['head', 'link', 'script']],
  ['li', ['li']],
  ['option', ['option']],
  ['optgroup', ['optgroup', 'option']],
  ['dd', ['dd', 'dt']],
  ['dt', ['dd', 'dt']],
  ['rt', ['rt', 'rp']],
  ['rp', ['rt', 'rp']],
  ['tbody', ['thead', 'tbody']],
  ['tfoot', ['thead', 'tbody']],
  ...'p h1 h2 h3 h4 h5 h6 address article aside blockquote details div dl fieldset figcaption figure footer form header hr main nav ol pre section table ul'
    .split(' ')
    .map((name): [string, readonly string[]] => [name, P]),
]);

/** What may stand inside `<head>`; anything else means the page forgot `</head><body>` and the body began. */
export const HEAD_CONTENT = new Set(['title', 'meta', 'link', 'script', 'style', 'base', 'noscript', 'template', 'object']);

export function headingLevel(tag: string): number {
  return tag.length === 2 && tag.charCodeAt(0) === 0x68 /* h */ && tag.charCodeAt(1) >= 0x31 && tag.charCodeAt(1) <= 0x36
    ? tag.charCodeAt(1) - 0x30
    : 0;
}
