import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXTRACT_CONFIG, extractMainText, extractVisibleText } from '../src/extract/index.ts';

// Two Japanese paragraphs of ordinary news length (40–60 characters each).
const PARAGRAPH_1 = '政府は今年の夏に向けて、電力の需要が大きく増えると予想されるため、家庭や会社に節電を呼びかけることを決めました。';
const PARAGRAPH_2 = '専門家は、気温が高い日にはエアコンを我慢しすぎず、こまめに水を飲んで熱中症に気をつけてほしいと話しています。';

/** A page whose article is surrounded by the usual furniture. */
function pageAround(article: string): string {
  return `<!doctype html><html><head><title>節電のお願い | ニュース</title></head><body>
    <header class="site-header"><a href="/">ニュースサイト</a><p>毎日のニュースをわかりやすく</p></header>
    <nav class="global-nav"><ul><li><a href="/politics">政治</a></li><li><a href="/economy">経済</a></li></ul></nav>
    <div id="cookie-consent"><p>このサイトはクッキーを使用しています。同意する場合は「同意する」を押してください。</p></div>
    <main><article>${article}</article></main>
    <aside class="sidebar"><h2>人気の記事</h2><p>ランキングは毎日午前零時に更新されます。最新の情報をご覧ください。</p></aside>
    <footer><p>Copyright © ニュースサイト All rights reserved.</p></footer>
  </body></html>`;
}

describe('extractMainText', () => {
  it('keeps a Japanese article as one line per paragraph and drops header, menu, cookie banner and footer', () => {
    const html = pageAround(`<h1>夏の節電</h1><p>${PARAGRAPH_1}</p><p>${PARAGRAPH_2}</p>`);
    const { text, title } = extractMainText(html);
    const lines = text.split('\n');
    expect(lines).toContain(PARAGRAPH_1);
    expect(lines).toContain(PARAGRAPH_2);
    expect(text).not.toMatch(/政治|経済|クッキー|Copyright|人気の記事|毎日のニュース/);
    expect(title).toBe('節電のお願い | ニュース');
    expect(text).not.toMatch(/^\s*$/m);
  });

  it('drops a list of links inside the article', () => {
    const links = ['関連記事その一', '関連記事その二', '関連記事その三']
      .map((label, i) => `<li><a href="/news/${i}">${label}を読む</a></li>`)
      .join('');
    const { text } = extractMainText(pageAround(`<p>${PARAGRAPH_1}</p><ul>${links}</ul><p>${PARAGRAPH_2}</p>`));
    expect(text).toContain(PARAGRAPH_1);
    expect(text).toContain(PARAGRAPH_2);
    expect(text).not.toContain('関連記事');
  });

  it('decodes named and numeric entities', () => {
    const { text } = extractMainText(pageAround(`<p>${PARAGRAPH_1}&lt;速報&gt; &amp; &#x65E5;&#26412;&nbsp;&quot;</p>`));
    expect(text).toContain(`${PARAGRAPH_1}<速報> & 日本 "`);
  });

  it('turns <br> into line breaks inside a paragraph', () => {
    const { text } = extractMainText(pageAround(`<p>${PARAGRAPH_1}<br>${PARAGRAPH_2}<br/>以上です。</p>`));
    expect(text.split('\n')).toEqual([PARAGRAPH_1, PARAGRAPH_2, '以上です。']);
  });

  it('never outputs script or style content', () => {
    const html = pageAround(
      `<script>var secret = "スクリプトの中身";</script><style>p { color: red }</style>` +
        `<p>${PARAGRAPH_1}<script>document.write("インライン")</script></p><noscript>JavaScriptを有効にしてください</noscript>`,
    );
    const { text } = extractMainText(html);
    expect(text).toBe(PARAGRAPH_1);
    expect(extractVisibleText(html)).not.toMatch(/secret|color: red|インライン/);
  });

  it('does not throw on malformed markup and still finds the text', () => {
    const html = `<html><body><div class="content"><p>${PARAGRAPH_1}<div><p>${PARAGRAPH_2}</span></b></td><table><tr><td><a href="x">unclosed`;
    let text = '';
    expect(() => {
      text = extractMainText(html).text;
    }).not.toThrow();
    expect(text).toContain(PARAGRAPH_1);
    expect(text).toContain(PARAGRAPH_2);
    // no </head> and no <body>: the first paragraph still starts the body, as in a browser
    expect(extractMainText(`<html><head><title>t</title><p>${PARAGRAPH_1}`).text).toBe(PARAGRAPH_1);
    expect(() => extractMainText('<<<>>></></ <!-- <p')).not.toThrow();
    expect(extractMainText('').text).toBe('');
  });

  it('matches short boilerplate words as whole class tokens only', () => {
    const html = `<html><body><main>
      <div class="header-shadow"><p>${PARAGRAPH_1}</p></div>
      <div class="ad"><p>広告：今だけ半額のセールを実施中です。お見逃しなく、今すぐお申し込みください。</p></div>
      <div class="download"><p>${PARAGRAPH_2}</p></div>
    </main></body></html>`;
    const { text } = extractMainText(html);
    expect(text).toContain(PARAGRAPH_1);
    expect(text).toContain(PARAGRAPH_2);
    expect(text).not.toContain('広告');
  });

  it('drops byline, date, reading-time and rating blocks that the template marks by class', () => {
    const html = pageAround(`<h1>夏の節電</h1>
      <p class="post-meta">Published on 2026-01-29 · 6 min read · <a href="/tags/x/">#energy</a></p>
      <div class="entry-date">2026年7月1日 10時00分</div>
      <p class="rating">★★★★☆ 4.0</p>
      <p>${PARAGRAPH_1}</p><p>${PARAGRAPH_2}</p>`);
    const { text } = extractMainText(html);
    expect(text.split('\n')).toEqual(['夏の節電', PARAGRAPH_1, PARAGRAPH_2]);
  });

  it('drops byline, date, reading-time, rating and tag lines written as plain paragraphs, by their words', () => {
    const html = pageAround(`<h1>夏の節電</h1>
      <p>Published on 2026-01-29 · 6 min read · #energy</p>
      <p>投稿日：2026年7月1日（水）　更新日：2026年7月2日</p>
      <p>質問者：ﾀﾛｳさん　投稿日時：2026/02/21 22:14　閲覧数：1,532</p>
      <p>${PARAGRAPH_1}<br>この記事は約3分で読めます</p>
      <p>★★★★☆ 4.0</p>
      <p>${PARAGRAPH_2}</p>
      <p>2026年7月1日、${PARAGRAPH_2}</p>`);
    const { text } = extractMainText(html);
    // a sentence that starts with a date is text; only lines that are nothing but metadata go
    expect(text.split('\n')).toEqual(['夏の節電', PARAGRAPH_1, PARAGRAPH_2, `2026年7月1日、${PARAGRAPH_2}`]);
  });

  it('drops a short block made of <time>, itemprop=author and rel=tag markup, whatever its classes', () => {
    const html = pageAround(`<h1>夏の節電</h1>
      <p class="x1">Posted <time datetime="2026-07-01">Wednesday</time> by <span itemprop="author">Sato Hanako</span></p>
      <p>${PARAGRAPH_1}</p><p>${PARAGRAPH_2}</p>
      <p class="x2"><a rel="tag" href="/t/1">節電</a> <a rel="tag" href="/t/2">電力</a> <a rel="category tag" href="/t/3">暮らし</a></p>
      <p>${PARAGRAPH_1.slice(0, 20)}<time datetime="2026-07-01">7月1日</time>${PARAGRAPH_2}</p>`);
    const { text } = extractMainText(html);
    expect(text.split('\n')).toEqual(['夏の節電', PARAGRAPH_1, PARAGRAPH_2, `${PARAGRAPH_1.slice(0, 20)}7月1日${PARAGRAPH_2}`]);
  });

  it('drops a heading whose section lost all its text (a related-links list between paragraphs), keeps one whose subsection has text', () => {
    const links = Array.from({ length: 6 }, (_, i) => `<li><a href="/a/${i}">節電の話題 その${i}</a></li>`).join('');
    const html = pageAround(`<h1>夏の節電</h1>
      <p>${PARAGRAPH_1}</p>
      <h2>関連記事</h2><ul>${links}</ul>
      <h2>背景</h2><h3>需要の見通し</h3><p>${PARAGRAPH_2}</p>`);
    expect(extractMainText(html).text.split('\n')).toEqual(['夏の節電', PARAGRAPH_1, '背景', '需要の見通し', PARAGRAPH_2]);
  });

  it('drops a Q&A poster line whose class is only a person word, but keeps a user-content body', () => {
    const forum = pageAround(`<h1>退去費用について</h1><p class="user">質問者：タロウさん 投稿日時：2026/02/21 閲覧数：1,532</p><p>${PARAGRAPH_1}</p>`);
    expect(extractMainText(forum).text).not.toContain('質問者');
    const readme = pageAround(`<div class="user-content"><p>${PARAGRAPH_1}</p><p>${PARAGRAPH_2}</p></div>`);
    expect(extractMainText(readme).text.split('\n')).toEqual([PARAGRAPH_1, PARAGRAPH_2]);
  });

  it('drops an affiliate product box after the last paragraph', () => {
    const html = pageAround(`<p>${PARAGRAPH_1}</p><p>${PARAGRAPH_2}</p>
      <div class="affiliate-box"><p>TK-200 電気ケトル 温度調節 0.8L</p><p><a href="https://shop.example.com/x">価格をチェックする</a></p></div>`);
    expect(extractMainText(html).text).not.toContain('TK-200');
  });

  it("drops WordPress Jetpack's share-and-like box (sharedaddy), keeps a class that only starts with share", () => {
    const html = pageAround(`<p>${PARAGRAPH_1}</p><p>${PARAGRAPH_2}</p>
      <div class="sharedaddy sd-block"><h3>いいね：</h3><div>いいね 読み込み中…</div></div>
      <div class="shared-notes"><p>この記事の内容は、専門家の監修を受けて作成しました。ご意見をお寄せください。</p></div>`);
    const { text } = extractMainText(html);
    expect(text).not.toContain('いいね');
    expect(text).toContain('専門家の監修');
  });

  it('drops a copyright or photo-credit line inside the article, keeps a sentence about copyright', () => {
    const html = pageAround(`<p>${PARAGRAPH_1}</p><p>節電の様子。© 共同通信 / 山田太郎</p><p>${PARAGRAPH_2}</p>
      <p>Copyright law protects a work for seventy years after its author dies.</p><p>Copyright 2026 ニュース社</p>`);
    expect(extractMainText(html).text.split('\n')).toEqual([
      PARAGRAPH_1,
      PARAGRAPH_2,
      'Copyright law protects a work for seventy years after its author dies.',
    ]);
  });

  it('drops call-to-action boxes and next/previous-post links, keeps look-alike class names', () => {
    const html = pageAround(`<p>${PARAGRAPH_1}</p>
      <div class="cta-box"><p>今すぐ無料で会員登録して、毎朝届くニュースレターで最新の記事をいち早くチェックしましょう。</p></div>
      <div class="contact"><p>問い合わせ先は、市の環境課です。平日の午前九時から午後五時まで電話で受け付けています。</p></div>
      <div class="nextPost"><h2>次の記事：夏祭りの開催について、今年の会場と日程が決まりました</h2></div>
      <div class="next-steps"><p>${PARAGRAPH_2}</p></div>`);
    const { text } = extractMainText(html);
    expect(text).not.toContain('会員登録');
    expect(text).not.toContain('次の記事');
    expect(text).toContain('市の環境課');
    expect(text).toContain(PARAGRAPH_2);
  });

  it('counts a 40-character Japanese sentence as prose, like a 100-character English one', () => {
    expect(40 * DEFAULT_EXTRACT_CONFIG.cjkCharWeight).toBeGreaterThanOrEqual(DEFAULT_EXTRACT_CONFIG.goodBlockWeight);
  });

  it('is linear on deeply nested unclosed elements', () => {
    const html = `${'<div><font>'.repeat(200_000)}<p>${PARAGRAPH_1}</p>`;
    const start = performance.now();
    const { text } = extractMainText(html);
    expect(text).toBe(PARAGRAPH_1);
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});

describe('extractMainText on a real page (trafilatura benchmark, dev split)', () => {
  const dataDir = new URL('../../../../shared/data/extraction/trafilatura/', import.meta.url);
  const evaldata = JSON.parse(readFileSync(new URL('evaldata.dev.json', dataDir), 'utf8')) as Record<
    string,
    { page: string; with: string[]; without: string[] }
  >;
  const entry = Object.entries(evaldata).find(([url]) => url.includes('nhk.or.jp/news/easy'));
  const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim();

  it('keeps the with-snippets and drops the without-snippets of an NHK easy-news page', () => {
    expect(entry).toBeDefined();
    const [, item] = entry!;
    const html = gunzipSync(readFileSync(new URL(item.page, dataDir))).toString('utf8');
    const text = normalise(extractMainText(html).text);
    for (const snippet of item.with) expect(text).toContain(normalise(snippet));
    for (const snippet of item.without) expect(text).not.toContain(normalise(snippet));
  });
});
