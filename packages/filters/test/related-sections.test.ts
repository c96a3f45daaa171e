import { describe, expect, it } from 'vitest';
import { extractMainText } from '../src/extract/index.ts';
import { isRelatedHeading } from '../src/extract/related-sections.ts';

const P1 = 'The city council voted on Tuesday to extend the night bus service to the northern districts, after a year of complaints from shift workers.';
const P2 = 'The new lines start in March and will run every twenty minutes between midnight and five in the morning, the transport office said.';
// teasers with a sentence of excerpt each: prose by length, so only the heading gives them away
const TEASER_1 = 'Why the tram extension is late again: the contractor blames the supply of rails and the city blames the contractor, and riders wait.';
const TEASER_2 = 'Cycling lanes on the ring road: a first look at the numbers after six months shows more riders and fewer accidents than expected.';

function article(body: string): string {
  return `<html><head><title>Night buses</title></head><body><nav><a href="/">Home</a></nav>
    <article><h1>Night buses for the north</h1>${body}</article><footer>About us</footer></body></html>`;
}

describe('related sections', () => {
  it('drops a "you may also like" heading and the teasers under it', () => {
    const html = article(`<p>${P1}</p><p>${P2}</p>
      <div class="more"><h2>You may also like</h2><p>${TEASER_1}</p><p>${TEASER_2}</p></div>`);
    expect(extractMainText(html).text.split('\n')).toEqual(['Night buses for the north', P1, P2]);
  });

  it('stops at the next heading of the same level and at the end of the box holding the heading', () => {
    const html = article(`<p>${P1}</p>
      <section><h2>Mehr zum Thema</h2><p>${TEASER_1}</p></section>
      <h2>Timetable</h2><p>${P2}</p>`);
    expect(extractMainText(html).text.split('\n')).toEqual(['Night buses for the north', P1, 'Timetable', P2]);
  });

  it('keeps a section whose heading only contains such words, and the text after a leftover related heading at the top', () => {
    const related = article(`<h2>Related work</h2><p>${P1}</p><p>${P2}</p>`);
    expect(extractMainText(related).text).toContain('Related work');
    const leftover = article(`<h3>関連記事</h3><p>${P1}</p><p>${P2}</p><p>${TEASER_1}</p>`);
    const lines = extractMainText(leftover).text.split('\n');
    expect(lines).not.toContain('関連記事');
    expect(lines).toEqual(['Night buses for the north', P1, P2, TEASER_1]);
  });

  it('recognises the phrases in several languages, anchored at both ends', () => {
    for (const heading of ['Related articles', 'Das könnte Sie auch interessieren:', 'Lire aussi', 'Te puede interesar', '関連記事', 'MOST READ']) {
      expect(isRelatedHeading(heading), heading).toBe(true);
    }
    for (const heading of ['Related work', 'Read more about the budget here', 'Weitere Informationen zur Steuer', '関連記事の書き方']) {
      expect(isRelatedHeading(heading), heading).toBe(false);
    }
  });
});

describe('teaser cards', () => {
  const card = (title: string, excerpt: string) =>
    `<li><div class="card"><h3><a href="/story/${title.length}">${title}</a></h3><div class="info"><p>${excerpt}</p></div></div></li>`;

  it('drops a list of cards, each a linked heading over a line of excerpt', () => {
    const html = article(`<p>${P1}</p><p>${P2}</p>
      <ul>${card('Tram extension late again', TEASER_1)}${card('Cycling lanes, six months on', TEASER_2)}</ul>`);
    expect(extractMainText(html).text.split('\n')).toEqual(['Night buses for the north', P1, P2]);
  });

  it('keeps a list whose linked headings head long descriptions, and a single linked-heading item', () => {
    const long = `${TEASER_1} ${TEASER_2} ${P1}`;
    const listicle = article(`<p>${P1}</p><ul>${card('Line N1', long)}${card('Line N2', long)}</ul>`);
    expect(extractMainText(listicle).text.split('\n')).toContain(long);
    const single = article(`<p>${P1}</p><p>${P2}</p><ul>${card('Line N1', TEASER_1)}</ul>`);
    expect(extractMainText(single).text.split('\n')).toContain(TEASER_1);
  });
});
