/**
 * Chooses the main-text blocks of a block tree.
 *
 * 1. Boilerplate subtrees (marked by tag, class, id or role) are out, unless the mark sits on a wrapper
 *    around the text itself: one that contains an article/articleBody element, or most of the page's
 *    prose (`<div class="entry share">` around the whole post).
 * 2. Every node gets a content score over its subtree: prose counts, link text costs. The best node is
 *    the main container; an article/articleBody container is preferred when it holds a fair share of
 *    that score.
 * 3. Inside the container blocks are kept or dropped one by one: link-dense blocks go, and short
 *    blocks after the last real paragraph go (share prompts, tag lists, "related" headings).
 */
import { HintStrength, Mark } from './boilerplate-rules.ts';
import type { BlockTree, TextBlock } from './block-tree.ts';
import type { ExtractConfig } from './config.ts';

/** Indices of the kept blocks, in document order. */
export function selectMainBlocks(tree: BlockTree, config: ExtractConfig): number[] {
  const { blocks } = tree;
  const boilerplate = boilerplateNodes(tree, config);
  const root = tree.nodes[chooseContainer(tree, config, boilerplate)]!;

  const candidates: number[] = [];
  let lastProse = -1;
  for (let i = root.firstBlock; i < root.endBlock; i++) {
    const block = blocks[i]!;
    if (boilerplate[block.node]) continue;
    if (block.linkWeight / block.weight > config.maxLinkDensity) continue;
    candidates.push(i);
    if (isProse(block, config)) lastProse = i;
  }
  // Below the last paragraph of prose come the share prompts, tag lists and "read more" headings.
  return candidates.filter((i) => i <= lastProse || blocks[i]!.weight >= config.goodBlockWeight);
}

/** A block that reads as running text on its own: long enough, few links. */
function isProse(block: TextBlock, config: ExtractConfig): boolean {
  return block.weight >= config.goodBlockWeight && block.linkWeight <= config.maxProseLinkDensity * block.weight;
}

/** Prefix sums of prose weight (text outside links of prose blocks): `prefix[j] - prefix[i]` for blocks i..j-1. */
function prosePrefix(tree: BlockTree, config: ExtractConfig): Float64Array {
  const { blocks } = tree;
  const prefix = new Float64Array(blocks.length + 1);
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    prefix[i + 1] = prefix[i]! + (isProse(block, config) ? block.weight - block.linkWeight : 0);
  }
  return prefix;
}

/** The node whose subtree is the main text. */
export function chooseContainer(tree: BlockTree, config: ExtractConfig, boilerplate: Uint8Array): number {
  const { nodes, blocks } = tree;
  // Per-block contribution to container scores, summed by prefix so a subtree costs O(1).
  const prefix = new Float64Array(blocks.length + 1);
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    let value = 0;
    if (!boilerplate[block.node]) {
      const text = block.weight - block.linkWeight;
      if (block.linkWeight > config.maxLinkDensity * block.weight) value = -config.linkPenalty * block.linkWeight;
      else if (block.weight < config.minBlockWeight) value = 0;
      else value = text - config.linkPenalty * block.linkWeight;
    }
    prefix[i + 1] = prefix[i]! + value;
  }

  let best = 0;
  let bestScore = -Infinity;
  let bestHinted = -1;
  let bestHintedScore = -Infinity;
  for (let n = 0; n < nodes.length; n++) {
    if (boilerplate[n]) continue;
    const node = nodes[n]!;
    const score = prefix[node.endBlock]! - prefix[node.firstBlock]!;
    if (score > bestScore) {
      bestScore = score;
      best = n;
    }
    if (node.hint >= HintStrength.Element && score > bestHintedScore) {
      bestHintedScore = score;
      bestHinted = n;
    }
  }
  return bestHinted >= 0 && bestHintedScore >= config.minHintShare * bestScore ? bestHinted : best;
}

/** `result[n]` is 1 when node n or an ancestor is boilerplate. Parents precede children in `nodes`. */
export function boilerplateNodes(tree: BlockTree, config: ExtractConfig): Uint8Array {
  const { nodes } = tree;
  // Strongest hint anywhere in each subtree, by a reverse pass (children have larger indices).
  const subtreeHint = new Uint8Array(nodes.length);
  for (let n = nodes.length - 1; n > 0; n--) {
    const node = nodes[n]!;
    const own = Math.max(subtreeHint[n]!, node.hint);
    subtreeHint[n] = own;
    if (own > subtreeHint[node.parent]!) subtreeHint[node.parent] = own;
  }
  const prose = prosePrefix(tree, config);
  const pageProse = prose[tree.blocks.length]!;

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
    if (!(mark & Mark.Hidden)) {
      // A marked wrapper around the article (`has-sidebar` layouts, `entry share`) is not boilerplate.
      if (subtreeHint[n]! >= HintStrength.Element) continue;
      const share = (prose[node.endBlock]! - prose[node.firstBlock]!) / pageProse;
      if (!(mark & Mark.Comments) && share >= config.minProtectedProseShare) continue;
    }
    result[n] = 1;
  }
  return result;
}
