/**
 * One streaming pass over the HTML that builds a light block tree: block-level elements as nodes (with
 * what their tag, class, id and role say about them), and the text between block boundaries as blocks,
 * each remembering its innermost node, weighted length and how much of it sits inside links. Content
 * that is never rendered (scripts, styles, form controls, ruby readings, hidden inline elements) is
 * skipped here; everything else is kept so the selection can weigh it.
 *
 * It drives htmlparser2's Tokenizer directly instead of its Parser: the Parser keeps its open-element
 * stack with `Array.unshift` and `indexOf`, which is quadratic in nesting depth (a 2 MB page of
 * unclosed `<div>`s takes over a minute). Here the stack is push/pop and a per-name open count makes
 * a stray end tag O(1), so the pass is linear in the input whatever its shape.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { classSignals, hidesElement, HintStrength, Mark, roleSignals, tagMark } from './boilerplate-rules.ts';
import { collapseWhitespace, isCjkCode, isSpaceCode, weightedLength } from './char-weight.ts';
import { HEAD_CONTENT, OPEN_IMPLIES_CLOSE, TagRole, tagRole } from './html-tags.ts';

/** What the builder knows about one tag name, looked up once per name and page. */
interface TagInfo {
  name: string;
  role: number;
  /** Boilerplate mark of the tag name itself (nav, footer, ...). */
  mark: number;
  /** Tags this one closes while they are the current element. */
  impliesClose: readonly string[] | undefined;
  /** How many elements of this name are open: makes a stray end tag O(1). */
  open: number;
}

export interface TreeNode {
  tag: string;
  /** Index of the parent node; -1 for the root. */
  parent: number;
  /** Boilerplate marks of this element itself (`Mark` bits from tag name, class, id, role, hidden). */
  mark: number;
  /** Content hint of this element itself (`HintStrength`, 0 = none). */
  hint: number;
  /** Strongest hint among the ancestors: a `<header>` inside `<article>` is the article's own header. */
  ancestorHint: number;
  /** Blocks `[firstBlock, endBlock)` were produced while this element was open: its subtree's text. */
  firstBlock: number;
  endBlock: number;
  /** `tag.class#id`, only with `keepLabels` (for explaining a decision, not for scoring). */
  label?: string;
}

export interface TextBlock {
  /** Visible text, whitespace collapsed, lines (from `<br>` or `<pre>`) joined with "\n". */
  text: string;
  /** Weighted length (see char-weight.ts). */
  weight: number;
  /** Weighted length of the part inside `<a href>`. */
  linkWeight: number;
  /**
   * Weighted length of the part inside inline metadata markup: `<time>`, schema.org `itemprop` author,
   * date and keyword properties, `rel="author"`/`rel="tag"` links. A block that is mostly this is a
   * byline or a tag line, whatever its classes say.
   */
  metaWeight: number;
  /** Innermost node containing the block. */
  node: number;
}

export interface BlockTree {
  nodes: TreeNode[];
  blocks: TextBlock[];
  /** `og:title`, else `<title>`; whitespace collapsed. */
  title: string;
}

export interface BlockTreeOptions {
  cjkCharWeight: number;
  /** Record `label` on nodes, to explain decisions when debugging. */
  keepLabels?: boolean;
}

// What a stack frame changed, so popping it undoes exactly that.
const EFFECT_DROP = 1;
const EFFECT_LINK = 2;
const EFFECT_PRE = 4;
const EFFECT_FOREIGN = 8;
const EFFECT_TITLE = 16;
const EFFECT_META = 32;

// Attributes worth capturing; everything else is skipped without allocating its value.
const ATTR_NONE = 0;
const ATTR_CLASS = 1;
const ATTR_ID = 2;
const ATTR_ROLE = 3;
const ATTR_ITEMPROP = 4;
const ATTR_STYLE = 5;
const ATTR_HIDDEN = 6;
const ATTR_ARIA_HIDDEN = 7;
const ATTR_HREF = 8;
const ATTR_PROPERTY = 9;
const ATTR_CONTENT = 10;
const ATTR_NAME = 11;
const ATTR_REL = 12;
const WANTED_ATTRS = new Map<string, number>([
  ['class', ATTR_CLASS],
  ['id', ATTR_ID],
  ['role', ATTR_ROLE],
  ['itemprop', ATTR_ITEMPROP],
  ['style', ATTR_STYLE],
  ['hidden', ATTR_HIDDEN],
  ['aria-hidden', ATTR_ARIA_HIDDEN],
  ['href', ATTR_HREF],
  ['property', ATTR_PROPERTY],
  ['content', ATTR_CONTENT],
  ['name', ATTR_NAME],
  ['rel', ATTR_REL],
]);
const WANTED_ATTRS_BY_LENGTH: Array<Array<[string, number]> | undefined> = [];
for (const [name, kind] of WANTED_ATTRS) (WANTED_ATTRS_BY_LENGTH[name.length] ??= []).push([name, kind]);

/** mailto: and tel: links are contact data written into the text; every other href is navigation or a UI control. */
function isNavigationalHref(href: string): boolean {
  const value = href.trimStart();
  if (value.length === 0) return false;
  return !/^(?:mailto|tel|sms):/i.test(value);
}

/** schema.org properties whose text is metadata about the text (who, when, filed under what). */
const METADATA_ITEMPROP = /\b(?:author|creator|datePublished|dateModified|dateCreated|uploadDate|keywords)\b/i;
/** Link relations of bylines and tag lists (HTML's `rel=author`, microformats' `rel=tag`, WordPress's `rel=category tag`). */
const METADATA_REL = /\b(?:author|tag|category)\b/i;

const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;
const LINE_BREAK = '\u0000'; // placeholder for <br> inside a block's parts, split on when flushing
const SOFT_HYPHEN = '\u00ad';

class BlockTreeBuilder implements TokenizerCallbacks {
  readonly nodes: TreeNode[] = [];
  readonly blocks: TextBlock[] = [];

  private readonly stackTags: TagInfo[] = [];
  private readonly stackNodes: number[] = [];
  private readonly stackEffects: number[] = [];
  private readonly tagInfos = new Map<string, TagInfo>();
  private currentNode = 0;
  private dropDepth = 0;
  private linkDepth = 0;
  private metaDepth = 0;
  private preDepth = 0;
  private foreignDepth = 0;

  // The tag being opened and the attributes captured so far.
  private tagName = '';
  private attrKind = ATTR_NONE;
  private attrValue = '';
  private attrClass = '';
  private attrId = '';
  private attrRole = '';
  private attrItemprop = '';
  private attrHiddenStyle = false;
  private attrHidden = false;
  private attrHasHref = false;
  private attrProperty = '';
  private attrContent = '';
  private attrRel = '';

  // The block being accumulated.
  private parts: string[] = [];
  private weight = 0;
  private linkWeight = 0;
  private metaWeight = 0;
  private hasLineBreak = false;
  private blockIsPre = false;

  private titleParts: string[] | null = null;
  private documentTitle = '';
  private ogTitle = '';

  constructor(
    private readonly html: string,
    private readonly cjkCharWeight: number,
    private readonly keepLabels: boolean,
  ) {
    this.nodes.push({ tag: '#root', parent: -1, mark: 0, hint: 0, ancestorHint: 0, firstBlock: 0, endBlock: 0 });
  }

  get title(): string {
    return collapseWhitespace(this.ogTitle || this.documentTitle);
  }

  // ---- tokenizer callbacks ----

  onopentagname(start: number, end: number): void {
    this.tagName = this.html.slice(start, end).toLowerCase();
    this.attrClass = '';
    this.attrId = '';
    this.attrRole = '';
    this.attrItemprop = '';
    this.attrHiddenStyle = false;
    this.attrHidden = false;
    this.attrHasHref = false;
    this.attrProperty = '';
    this.attrContent = '';
    this.attrRel = '';
    this.attrKind = ATTR_NONE;
  }

  onattribname(start: number, end: number): void {
    this.attrKind = ATTR_NONE;
    const candidates = WANTED_ATTRS_BY_LENGTH[end - start];
    if (candidates === undefined) return;
    const html = this.html;
    if (html.charCodeAt(start) >= 0x61) {
      // lower case, as nearly always: compare in place instead of slicing a string per attribute
      for (const [name, kind] of candidates) {
        if (html.startsWith(name, start)) {
          this.attrKind = kind;
          break;
        }
      }
    } else {
      this.attrKind = WANTED_ATTRS.get(html.slice(start, end).toLowerCase()) ?? ATTR_NONE;
    }
    this.attrValue = '';
  }

  onattribdata(start: number, end: number): void {
    if (this.attrKind !== ATTR_NONE) this.attrValue += this.html.slice(start, end);
  }

  onattribentity(codepoint: number): void {
    if (this.attrKind !== ATTR_NONE) this.attrValue += String.fromCodePoint(codepoint);
  }

  onattribend(): void {
    const value = this.attrValue;
    switch (this.attrKind) {
      case ATTR_CLASS:
        this.attrClass = value;
        break;
      case ATTR_ID:
        this.attrId = value;
        break;
      case ATTR_ROLE:
        this.attrRole = value;
        break;
      case ATTR_ITEMPROP:
        this.attrItemprop = value;
        break;
      case ATTR_STYLE:
        this.attrHiddenStyle = HIDDEN_STYLE.test(value);
        break;
      case ATTR_HIDDEN:
        this.attrHidden = true;
        break;
      case ATTR_ARIA_HIDDEN:
        if (value.trim().toLowerCase() === 'true') this.attrHidden = true;
        break;
      case ATTR_HREF:
        this.attrHasHref = isNavigationalHref(value);
        break;
      case ATTR_PROPERTY:
      case ATTR_NAME:
        this.attrProperty = value;
        break;
      case ATTR_CONTENT:
        this.attrContent = value;
        break;
      case ATTR_REL:
        this.attrRel = value;
        break;
    }
    this.attrKind = ATTR_NONE;
    this.attrValue = '';
  }

  onopentagend(): void {
    this.openElement(this.tagName, false);
  }

  onselfclosingtag(): void {
    // HTML ignores the slash (`<div/>` opens a div); inside svg/math it closes the element.
    this.openElement(this.tagName, this.foreignDepth > 0);
  }

  onclosetag(start: number, end: number): void {
    const tag = this.tagInfo(this.html.slice(start, end).toLowerCase());
    if (tag.role & TagRole.Void) {
      if (tag.role & TagRole.LineBreak) this.lineBreak(); // browsers read </br> as <br>
      return;
    }
    if (tag.open === 0) {
      if (tag.name === 'p') this.flushBlock(); // a stray </p> is an empty paragraph: still a boundary
      return;
    }
    while (this.stackTags.length > 0) {
      if (this.popFrame() === tag) break;
    }
  }

  private tagInfo(name: string): TagInfo {
    let info = this.tagInfos.get(name);
    if (info === undefined) {
      info = { name, role: tagRole(name), mark: tagMark(name), impliesClose: OPEN_IMPLIES_CLOSE.get(name), open: 0 };
      this.tagInfos.set(name, info);
    }
    return info;
  }

  ontext(start: number, end: number): void {
    if (this.titleParts !== null) {
      this.titleParts.push(this.html.slice(start, end));
      return;
    }
    if (this.dropDepth > 0) return;
    const weight = weightedLength(this.html, start, end, this.cjkCharWeight);
    if (weight === 0 && this.preDepth === 0) {
      // whitespace only: keep one separator so words around tags do not merge
      if (this.parts.length > 0 && this.parts[this.parts.length - 1] !== ' ') this.parts.push(' ');
      return;
    }
    if (this.parts.length === 0 && this.preDepth > 0) this.blockIsPre = true;
    this.parts.push(this.html.slice(start, end));
    this.weight += weight;
    if (this.linkDepth > 0) this.linkWeight += weight;
    if (this.metaDepth > 0) this.metaWeight += weight;
  }

  ontextentity(codepoint: number): void {
    const char = String.fromCodePoint(codepoint);
    if (this.titleParts !== null) {
      this.titleParts.push(char);
      return;
    }
    if (this.dropDepth > 0) return;
    if (isSpaceCode(codepoint)) {
      this.parts.push(' ');
      return;
    }
    const weight = isCjkCode(codepoint) ? this.cjkCharWeight : 1;
    this.parts.push(char);
    this.weight += weight;
    if (this.linkDepth > 0) this.linkWeight += weight;
    if (this.metaDepth > 0) this.metaWeight += weight;
  }

  onend(): void {
    while (this.stackTags.length > 0) this.popFrame();
    this.flushBlock();
    this.nodes[0]!.endBlock = this.blocks.length;
  }

  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  // ---- tree building ----

  private openElement(name: string, closeImmediately: boolean): void {
    const tag = this.tagInfo(name);
    const top = this.stackTags[this.stackTags.length - 1];
    if (top !== undefined && top.name === 'head' && !HEAD_CONTENT.has(name)) this.popFrame();
    const implied = tag.impliesClose;
    if (implied !== undefined) {
      while (this.stackTags.length > 0 && implied.includes(this.stackTags[this.stackTags.length - 1]!.name)) this.popFrame();
    }
    const role = tag.role;
    if (role & TagRole.Void) {
      this.voidElement(name, role);
      return;
    }

    let effects = 0;
    let node = -1;
    if (name === 'title' && this.foreignDepth === 0 && this.documentTitle === '' && this.titleParts === null) {
      this.titleParts = [];
      effects |= EFFECT_TITLE;
    }
    if (this.dropDepth > 0 || role & TagRole.Drop) {
      effects |= EFFECT_DROP;
    } else {
      if (role & TagRole.Block) {
        const signals = this.elementSignals(tag);
        this.flushBlock();
        node = this.openNode(name, signals.mark, signals.hint);
      } else if (this.attrHidden || this.attrHiddenStyle || (this.attrClass.length > 0 && hidesElement(this.attrClass))) {
        // an inline element hidden by attribute or class: drop its text without splitting the paragraph
        effects |= EFFECT_DROP;
      }
      if (role & TagRole.Link && this.attrHasHref) effects |= EFFECT_LINK;
      if (!(role & TagRole.Block) && this.isMetadataInline(name)) effects |= EFFECT_META;
      if (role & TagRole.Preformatted) effects |= EFFECT_PRE;
    }
    if (role & TagRole.Foreign) effects |= EFFECT_FOREIGN;
    this.pushFrame(tag, node, effects);
    if (closeImmediately) this.popFrame();
  }

  private isMetadataInline(name: string): boolean {
    if (name === 'time') return true;
    if (this.attrItemprop.length > 0 && METADATA_ITEMPROP.test(this.attrItemprop)) return true;
    return this.attrRel.length > 0 && METADATA_REL.test(this.attrRel);
  }

  private elementSignals(tag: TagInfo): { mark: number; hint: number } {
    const name = tag.name;
    let mark = tag.mark;
    let hint = 0;
    if (name === 'article' || name === 'main') hint = HintStrength.Element;
    if (this.attrHidden || this.attrHiddenStyle) mark |= Mark.Hidden;
    // The page-level wrappers carry layout classes (`has-sidebar`), never a boilerplate meaning.
    if (name !== 'body' && name !== 'html') {
      const byClass = classSignals(this.attrClass, this.attrId);
      const byRole = this.attrRole.length > 0 ? roleSignals(this.attrRole) : byClass;
      // article/main elements are content by definition; their classes often list the post's taxonomy
      if (hint < HintStrength.Element) mark |= byClass.mark | byRole.mark;
      hint = Math.max(hint, byClass.hint, byRole.hint);
    }
    if (this.attrItemprop.length > 0 && /\barticleBody\b|\btext\b/i.test(this.attrItemprop)) hint = HintStrength.Schema;
    // `<div itemprop="author">`: the schema.org byline block (its inline form is counted in metaWeight)
    else if (this.attrItemprop.length > 0 && METADATA_ITEMPROP.test(this.attrItemprop)) mark |= Mark.Meta;
    return { mark, hint };
  }

  private voidElement(name: string, role: number): void {
    if (this.dropDepth > 0) return;
    if (role & TagRole.LineBreak) this.lineBreak();
    else if (name === 'hr') this.flushBlock();
    else if (name === 'meta' && this.attrProperty.toLowerCase() === 'og:title' && this.ogTitle === '') {
      this.ogTitle = this.attrContent;
    }
  }

  private openNode(tag: string, mark: number, hint: number): number {
    const parent = this.nodes[this.currentNode]!;
    const index = this.nodes.length;
    this.nodes.push({
      tag,
      parent: this.currentNode,
      mark,
      hint,
      ancestorHint: Math.max(parent.ancestorHint, parent.hint),
      firstBlock: this.blocks.length,
      endBlock: this.blocks.length,
    });
    if (this.keepLabels) this.nodes[index]!.label = `${tag}.${this.attrClass}#${this.attrId}`;
    this.currentNode = index;
    return index;
  }

  private pushFrame(tag: TagInfo, node: number, effects: number): void {
    this.stackTags.push(tag);
    this.stackNodes.push(node);
    this.stackEffects.push(effects);
    tag.open++;
    if (effects & EFFECT_DROP) this.dropDepth++;
    if (effects & EFFECT_LINK) this.linkDepth++;
    if (effects & EFFECT_META) this.metaDepth++;
    if (effects & EFFECT_PRE) this.preDepth++;
    if (effects & EFFECT_FOREIGN) this.foreignDepth++;
  }

  /** Pops the current element, undoing what it changed; returns its tag. */
  private popFrame(): TagInfo {
    const tag = this.stackTags.pop()!;
    const node = this.stackNodes.pop()!;
    const effects = this.stackEffects.pop()!;
    tag.open--;
    if (effects & EFFECT_DROP) this.dropDepth--;
    if (effects & EFFECT_LINK) this.linkDepth--;
    if (effects & EFFECT_META) this.metaDepth--;
    if (effects & EFFECT_PRE) this.preDepth--;
    if (effects & EFFECT_FOREIGN) this.foreignDepth--;
    if (effects & EFFECT_TITLE && this.titleParts !== null) {
      this.documentTitle = this.titleParts.join('');
      this.titleParts = null;
    }
    if (node >= 0) {
      this.flushBlock();
      const treeNode = this.nodes[node]!;
      treeNode.endBlock = this.blocks.length;
      this.currentNode = treeNode.parent;
    }
    return tag;
  }

  private lineBreak(): void {
    if (this.dropDepth > 0 || this.parts.length === 0) return;
    this.parts.push(LINE_BREAK);
    this.hasLineBreak = true;
  }

  /** Ends the current block: joins its parts once, collapses whitespace per line. */
  private flushBlock(): void {
    if (this.parts.length === 0) return;
    if (this.weight > 0) {
      let raw = this.parts.join('');
      // soft hyphens are invisible hyphenation hints; left in, they split words for every later stage
      if (raw.includes(SOFT_HYPHEN)) raw = raw.replaceAll(SOFT_HYPHEN, '');
      if (this.blockIsPre) raw = raw.replace(/\r\n?|\n/g, LINE_BREAK);
      let text: string;
      if (this.hasLineBreak || this.blockIsPre) {
        const lines: string[] = [];
        for (const line of raw.split(LINE_BREAK)) {
          const collapsed = collapseWhitespace(line);
          if (collapsed.length > 0) lines.push(collapsed);
        }
        text = lines.join('\n');
      } else {
        text = collapseWhitespace(raw);
      }
      this.blocks.push({ text, weight: this.weight, linkWeight: this.linkWeight, metaWeight: this.metaWeight, node: this.currentNode });
    }
    this.parts = [];
    this.weight = 0;
    this.linkWeight = 0;
    this.metaWeight = 0;
    this.hasLineBreak = false;
    this.blockIsPre = false;
  }
}

/** Parses `html` into a block tree. Never throws on malformed markup; linear in the input length. */
export function buildBlockTree(html: string, options: BlockTreeOptions): BlockTree {
  const builder = new BlockTreeBuilder(html, options.cjkCharWeight, options.keepLabels === true);
  const tokenizer = new Tokenizer({ decodeEntities: true }, builder);
  tokenizer.write(html);
  tokenizer.end();
  return { nodes: builder.nodes, blocks: builder.blocks, title: builder.title };
}
