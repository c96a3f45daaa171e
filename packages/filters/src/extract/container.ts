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

  const result = new Uint8Array(nodes.length);
  for (let n = 1; n < nodes.length; n++) {
    const node = nodes[n]!;
    if (result[node.parent]) {
      result[n] = 1;
      continue;
    }
    let mark = node.mark;
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
