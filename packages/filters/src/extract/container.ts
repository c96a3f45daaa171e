/**
 * Where the main text lives: which subtrees are boilerplate, and which node is the main container.
 *
 * Boilerplate subtrees (marked by tag, class, id or role) are out, unless the mark sits on a wrapper
 * around the text itself: one that holds most of the page's prose (`<div class="entry share">` around
 * the whole post, `has-sidebar` layouts).
 *
 * Every node gets a content score over its subtree: text outside links counts, link text costs. The
 * best node is the main container, unless an element that says it is the article (`<article>`,
 * `itemprop=articleBody`, `class="entry-content"`) scores a fair share of it: then the most explicit
 * such element wins, which keeps teaser lists and comment threads around the article out.
 */
import { HintStrength, Mark } from './boilerplate-rules.ts';
import type { BlockTree, TextBlock } from './block-tree.ts';
import type { ExtractConfig } from './config.ts';
import { headingLevel } from './html-tags.ts';

/** A block that reads as running text on its own: long enough, few links. */
export function isProse(block: TextBlock, config: ExtractConfig): boolean {
  return block.weight >= config.goodBlockWeight && block.linkWeight <= config.maxProseLinkDensity * block.weight;
}

export function isLinkDense(block: TextBlock, config: ExtractConfig): boolean {
  return block.linkWeight > config.maxLinkDensity * block.weight;
}

/** `result[n]` is 1 when node n or an ancestor is boilerplate. Parents precede children in `nodes`. */
export function boilerplateNodes(tree: BlockTree, config: ExtractConfig): Uint8Array {
  const { nodes, blocks } = tree;
  // Prefix sums of prose weight, so the prose inside any subtree is one subtraction.
  const prose = new Float64Array(blocks.length + 1);
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    prose[i + 1] = prose[i]! + (isProse(block, config) ? block.weight - block.linkWeight : 0);
  }
  const pageProse = prose[blocks.length]!;

  const cards = teaserCards(tree, config);
  const result = new Uint8Array(nodes.length);
  for (let n = 1; n < nodes.length; n++) {
    const node = nodes[n]!;
    if (result[node.parent]) {
      result[n] = 1;
      continue;
    }
    let mark = node.mark | cards[n]!;
    // The header of an article holds its headline; only page headers are boilerplate.
    if (node.ancestorHint >= HintStrength.Element) mark &= ~Mark.Header;
    if (mark === 0) continue;
    // Hidden is never a mislabel; comment threads can outweigh the article and still be comments.
    if (!(mark & (Mark.Hidden | Mark.Comments))) {
      const nodeProse = prose[node.endBlock]! - prose[node.firstBlock]!;
      if (nodeProse > 0 && nodeProse >= config.minProtectedProseShare * pageProse) continue;
    }
    result[n] = 1;
  }
  return result;
}

/** How far up from a linked heading its list item may sit (heading → info div → card div → li). */
const MAX_CARD_DEPTH = 4;

/**
 * `result[n]` is `Mark.Related` for a list item that is a teaser card: it holds a heading that is all
 * link (`<li><h3><a href="/other-story">Title</a></h3><p>One line of excerpt</p></li>`). A list in the
 * text has no headings in its items, and a heading of the text is not a link; the excerpts under such
 * titles read as prose, so without this the list of cards can outweigh a short article.
 */
function teaserCards(tree: BlockTree, config: ExtractConfig): Uint8Array {
  const { nodes, blocks } = tree;
  const result = new Uint8Array(nodes.length);
  for (const block of blocks) {
    if (block.weight === 0 || block.linkWeight < config.minCardTitleLinkShare * block.weight) continue;
    if (headingLevel(nodes[block.node]!.tag) === 0) continue;
    let n = nodes[block.node]!.parent;
    for (let depth = 0; depth < MAX_CARD_DEPTH && n > 0; depth++, n = nodes[n]!.parent) {
      if (nodes[n]!.tag === 'li') {
        if (unlinkedWeight(tree, n) <= config.maxCardTextWeight) result[n] = Mark.Related;
        break;
      }
    }
  }
  // a teaser list repeats its card: a single item with a linked heading is a list of the text
  const cardsPerList = new Map<number, number>();
  for (let n = 1; n < nodes.length; n++) {
    if (result[n]) cardsPerList.set(nodes[n]!.parent, (cardsPerList.get(nodes[n]!.parent) ?? 0) + 1);
  }
  for (let n = 1; n < nodes.length; n++) if (result[n] && cardsPerList.get(nodes[n]!.parent)! < 2) result[n] = 0;
  return result;
}

function unlinkedWeight(tree: BlockTree, node: number): number {
  let weight = 0;
  for (let i = tree.nodes[node]!.firstBlock; i < tree.nodes[node]!.endBlock; i++) {
    weight += tree.blocks[i]!.weight - tree.blocks[i]!.linkWeight;
  }
  return weight;
}

/** The node whose subtree is the main text. */
export function chooseContainer(tree: BlockTree, config: ExtractConfig, boilerplate: Uint8Array): number {
  const { nodes, blocks } = tree;
  const score = new Float64Array(blocks.length + 1); // prefix sums of block values
  for (let i = 0; i < blocks.length; i++) {
    score[i + 1] = score[i]! + blockValue(blocks[i]!, boilerplate, config);
  }
  const subtreeScore = (n: number): number => score[nodes[n]!.endBlock]! - score[nodes[n]!.firstBlock]!;

  let best = 0;
  let bestScore = -Infinity;
  for (let n = 0; n < nodes.length; n++) {
    if (boilerplate[n]) continue;
    const value = subtreeScore(n);
    if (value > bestScore) {
      bestScore = value;
      best = n;
    }
  }

  let chosen = best;
  let chosenHint = 0;
  let chosenScore = -Infinity;
  for (let n = 0; n < nodes.length; n++) {
    const hint = nodes[n]!.hint;
    if (hint < HintStrength.Element || boilerplate[n]) continue;
    const value = subtreeScore(n);
    if (value <= 0 || value < config.minHintShare * bestScore) continue;
    if (hint > chosenHint || (hint === chosenHint && value > chosenScore)) {
      chosen = n;
      chosenHint = hint;
      chosenScore = value;
    }
  }
  return chosen;
}

/** What a block adds to the score of every container around it. */
function blockValue(block: TextBlock, boilerplate: Uint8Array, config: ExtractConfig): number {
  if (boilerplate[block.node]) return 0;
  if (isLinkDense(block, config)) return -config.linkPenalty * block.linkWeight;
  if (block.weight < config.minBlockWeight) return 0; // labels and dates neither make nor break a container
  return block.weight - (1 + config.linkPenalty) * block.linkWeight;
}
