import { describe, expect, it } from 'vitest';
import { isMetadataLine } from '../src/extract/metadata-lines.ts';

describe('isMetadataLine', () => {
  // Each line is nothing but metadata: a dateline, a byline, a reading time, a rating, counts, labels.
  const metadata: ReadonlyArray<[string, string]> = [
    ['Published on 2026-01-29 · 6 min read · #typescript', 'date, reading time and hashtag joined by ·'],
    ['質問者：ﾀﾛｳさん　投稿日時：2026/02/21 22:14　閲覧数：1,532', 'Q&A poster line, ideographic-space separated'],
    ['2018年8月16日（木）', 'Japanese date with weekday'],
    ['投稿日：2026年7月1日 更新日：2026年7月2日', 'two labelled Japanese dates'],
    ['この記事は約3分で読めます', 'Japanese reading time'],
    ['★★★★☆ 4.0', 'star rating'],
    ['評価：★★★☆☆', 'labelled rating'],
    ['12.12.2022, 08:30 Uhr', 'German date and time'],
    ['Aktualisiert am 27.01.2022', 'German updated label'],
    ['segunda-feira, 22 de janeiro de 2018 às 0:13', 'Portuguese long date'],
    ['lunedì 3 marzo 2020', 'Italian weekday (non-ASCII word end)'],
    ['3:59 PM', 'bare time'],
    ['Tempo de leitura: 2 minutos', 'Portuguese reading time'],
    ['Category : Press Releases', 'category label'],
    ['05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad', 'dash-separated byline'],
    ['By Jane Doe and John Smith', 'byline of names only'],
    ['This entry was posted in News on May 1, 2019 by admin.', 'WordPress footer'],
    ['スポンサーリンク', 'ad label'],
    ['Advertisement', 'ad label'],
    ['1,532 views', 'view count'],
    ['Copyright © 2021 Example GmbH • Design: Studio Beispiel', 'copyright notice'],
    ['Copyright 2019 Muster Verlag. All rights reserved.', 'copyright notice without the sign'],
    ['(c) 2018 Redaktion', 'copyright notice with (c)'],
    ['Der Bergsteiger am Gipfel. © dpa / Max Muster', 'caption ending in a photo credit'],
    ['Dieser Artikel enthält Werbung.', 'German advertising disclosure'],
    ['This post contains affiliate links; we may earn a commission when you buy.', 'affiliate disclosure'],
    ['本記事はプロモーションを含みます', 'Japanese promotion disclosure'],
    ['Follow us on Instagram and Facebook for daily updates.', 'follow-us prompt'],
    ['Síguenos en las redes sociales para más noticias', 'Spanish follow-us prompt'],
    ['Subscribe to our newsletter and get the best recipes every Friday.', 'newsletter prompt'],
  ];
  it.each(metadata)('drops %s (%s)', (line) => {
    expect(isMetadataLine(line)).toBe(true);
  });

  // Text that mentions dates, numbers or names: every one is a sentence or data and must stay.
  const text: ReadonlyArray<[string, string]> = [
    ['By the end of the year, prices rose.', '"By" starting a sentence'],
    ['Am 12. März 2021 beschloss der Rat, die Steuer zu senken.', 'a sentence with a date'],
    ['今日は2026年1月29日です。', 'a Japanese sentence with a date'],
    ['2026年7月1日、政府は節電を呼びかけました。', 'a sentence opened by a date'],
    ['2019', 'a bare year (a table cell)'],
    ['1,532', 'a bare number'],
    ['225.86', 'a price, not a d.m date'],
    ['-5.44%', 'a percentage'],
    ['02-751-1500', 'a phone number'],
    ['2:28,29', 'a lap time in a results table'],
    ['TK-200 電気ケトル 温度調節 0.8L', 'a product name'],
    ['Da Vinci', 'a name, not an Italian byline'],
    ['5分で作れる簡単レシピを紹介します。', 'minutes in a sentence'],
    ['Category: ' + 'x'.repeat(80), 'a label followed by a long value'],
    ['Die Werbung im Fernsehen verliert seit Jahren an Zuschauern.', 'a sentence about advertising'],
    ['Advertising revenue fell by a third last year.', 'advertising as a subject, not a disclosure'],
    ['Following us through the old town, the guide explained how the walls were built.', 'a sentence starting with "Following us"'],
    ['Readers who subscribe to the newsletter get the recipes on Fridays.', 'a sentence about a newsletter'],
    ['Copyright law protects a work for seventy years after its author dies.', 'a sentence about copyright'],
    [
      'Das Zeichen © steht auf vielen Büchern, ' + 'und der Absatz erklärt lang und breit, was es rechtlich bedeutet. '.repeat(2),
      'a paragraph that names the sign (longer than a metadata line)',
    ],
  ];
  it.each(text)('keeps %s (%s)', (line) => {
    expect(isMetadataLine(line)).toBe(false);
  });
});
