/**
 * Sections that a heading announces as pointers to other pages: "Related articles", "You may also
 * like", "Das könnte dich auch interessieren", "Lire aussi", "関連記事". Templates put them inside the
 * article element, and when their teasers carry a sentence of excerpt each they read as prose, so
 * neither the boilerplate classes nor link density removes them. The heading's words say what follows.
 */
import type { BlockTree } from './block-tree.ts';
import type { ExtractConfig } from './config.ts';
import { headingLevel } from './html-tags.ts';

/**
 * Whole-heading phrases of "more to read" sections in the languages of our pages and of the benchmark
 * pages (en, de, fr, es, pt, it, ja). Anchored at both ends: a heading that merely contains "related"
 * ("Related work", "Weitere Informationen zur Steuer") is a section of the text.
 */
const RELATED_HEADING = new RegExp(
  '^(?:' +
    [
      // English
      'related(?: (?:articles?|posts?|stories|content|news|reading|topics?|links))?|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|' +
        '(?:read|see) (?:more|also|next)|more (?:stories|articles|news|posts|to read|from [\\p{L} ]{1,30})|recommended(?: (?:for you|articles|stories))?|' +
        'latest (?:articles|posts|news|stories)|recent (?:posts|articles)|popular (?:posts|articles|stories)|most (?:read|popular)|trending(?: now)?',
      // German
      'das könnte (?:dich|sie) (?:auch )?interessieren|(?:dies )?könnte (?:dich|sie) (?:auch )?interessieren|mehr zum thema|' +
        'lesen sie (?:auch|mehr)|lies auch|weitere (?:artikel|beiträge|nachrichten|meldungen|themen)|ähnliche (?:artikel|beiträge)|' +
        'neueste (?:artikel|beiträge)|aktuelle (?:artikel|beiträge)|meistgelesen|meistgelesene artikel|empfehlungen|verwandte (?:artikel|beiträge|themen)',
      // French, Spanish, Portuguese, Italian
      'lire aussi|à lire aussi|sur le même sujet|articles similaires|vous aimerez aussi|vous aimerez peut-être aussi|' +
        'te puede interesar|también te puede interesar|noticias relacionadas|artículos relacionados|lo más leído|' +
        'leia (?:também|mais)|você (?:também )?pode gostar|notícias relacionadas|artigos relacionados|' +
        'potrebbe interessarti|leggi anche|articoli correlati|notizie correlate',
      // Japanese
      '関連記事|関連ニュース|関連する記事|関連エントリー|おすすめ記事|あわせて読みたい|合わせて読みたい|こちらもおすすめ|人気記事|新着記事|最新記事|よく読まれている記事',
    ].join('|') +
    ')[\\s:：.!?…»›>]*$',
  'iu',
);

export function isRelatedHeading(text: string): boolean {
  return text.length <= 60 && RELATED_HEADING.test(text.trim());
}

/**
 * Drops a kept heading that announces a "more to read" section, and the kept blocks under it: up to
 * the next kept heading of the same or a higher level, and no further than the element that holds the
 * heading (the teaser box). A heading as long as a paragraph is text. When the section would outweigh
 * all the text above the heading, the heading is not closing the article (a teaser box's title left
 * over before the body, a heading the template reuses): then only the heading goes.
 */
export function dropRelatedSections(tree: BlockTree, config: ExtractConfig, kept: number[]): number[] {
  const { blocks, nodes } = tree;
  const levelOf = (index: number): number => {
    const block = blocks[index]!;
    return block.weight >= config.goodBlockWeight ? 0 : headingLevel(nodes[block.node]!.tag);
  };
  const drop = new Uint8Array(kept.length);
  let above = 0; // weight of the kept text before the current block
  for (let k = 0; k < kept.length; k++) {
    const index = kept[k]!;
    const level = levelOf(index);
    // the first kept block is the headline, whatever it says
    if (level > 0 && k > 0 && !drop[k] && isRelatedHeading(blocks[index]!.text)) {
      drop[k] = 1;
      const sectionEnd = nodes[nodes[blocks[index]!.node]!.parent]!.endBlock;
      let end = k + 1;
      let sectionWeight = 0;
      for (; end < kept.length && kept[end]! < sectionEnd; end++) {
        const next = levelOf(kept[end]!);
        if (next > 0 && next <= level) break;
        sectionWeight += blocks[kept[end]!]!.weight;
      }
      if (sectionWeight <= above) drop.fill(1, k + 1, end);
    }
    if (!drop[k]) above += blocks[index]!.weight;
  }
  return kept.filter((_, k) => !drop[k]);
}
