import { Parser } from 'htmlparser2';
function run(label, html) {
  const t = performance.now(); let n = 0;
  const p = new Parser({ onopentag() { n++; }, onclosetag() {}, ontext() {} }, { decodeEntities: true });
  p.write(html); p.end();
  console.log(label, (html.length/1e6).toFixed(1)+'MB', Math.round(performance.now() - t) + 'ms', n);
}
for (const size of [1e6, 2e6, 4e6]) {
  run('div*', '<div>'.repeat(size / 5));
}
run('div+close stray', '<div>'.repeat(100000) + '</span>'.repeat(200000));
run('normal', ('<div class="a"><p>Hello &amp; world <a href="x">link</a></p></div>').repeat(300000));
