/**
 * `pnpm eval precheck --data <folder|file>`: what the byte pre-check (kana byte patterns, before any
 * decoding) costs in recall. Every page in the data (WARC/ARC response records, or files of raw page
 * bytes, gzip or not) is decoded, its main text extracted and identified by cld3 as the pipeline would,
 * WITHOUT the pre-check in front; the pages identified as Japanese are the reference, and the pre-check's
 * verdict on their raw bytes is compared with it. A Japanese page with no kana in its bytes (a kanji-only
 * list, a headline page) is a miss, printed with its path.
 *
 * Scores: pages, japanese_pages, precheck_recall (share of those the pre-check passes), missed, and the
 * pre-check's pass rate on the other pages (what it lets through to decoding: its cost side).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '@jcp/core';
import { decodeBody, parseHttpResponse, readWarc } from '@jcp/crawler';
import { createLanguageDetector, DEFAULT_LANGID_CONFIG, extractMainText, hasJapaneseBytes } from '@jcp/filters';
import { DEFAULT_WEB_PAGE_CHAIN_CONFIG } from '../chains/web-page-config.ts';
import { parseEvalArgs, printScores, round } from './_common.ts';

interface Page {
  where: string;
  body: Uint8Array;
  contentType: string | null;
}

const MAX_BODY = 16 * 1024 * 1024;
/** Fewer letters than this in the main text and the page is not judged (cld3's own floor is about this). */
const MIN_LETTERS = 20;

function countLetters(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/\p{L}/gu)) if (++n >= MIN_LETTERS) break;
  return n;
}

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'precheck', 'a folder (searched recursively) or file: WARC/ARC files and raw page files (.gz allowed)');
  const detector = await createLanguageDetector(DEFAULT_LANGID_CONFIG);
  const minScore = DEFAULT_WEB_PAGE_CHAIN_CONFIG.minLangScore;
  let pages = 0;
  let tooShort = 0;
  let japanese = 0;
  let others = 0;
  let othersPassed = 0;
  const missed: string[] = [];
  try {
    for (const path of filesUnder(args.data)) {
      for await (const page of pagesIn(path)) {
        pages++;
        const text = pageText(page);
        // cld3 answers something for any input, an empty page included: too little text is no evidence
        if (countLetters(text) < MIN_LETTERS) {
          tooShort++;
          continue;
        }
        const guess = detector.identify(text);
        const passes = hasJapaneseBytes(page.body, DEFAULT_LANGID_CONFIG);
        if (guess.lang === 'ja' && guess.score >= minScore) {
          japanese++;
          if (!passes) {
            missed.push(page.where);
            console.log(`  missed: ${page.where} (${text.length} chars: ${JSON.stringify(text.slice(0, 60))})`);
          }
        } else {
          others++;
          if (passes) othersPassed++;
        }
      }
    }
  } finally {
    detector.dispose();
  }
  console.log(`${pages} pages (${tooShort} with under ${MIN_LETTERS} letters of text, not judged), ${japanese} identified as Japanese without the pre-check; the pre-check passes ${japanese - missed.length} of them and ${othersPassed} of the ${others} others`);
  printScores({
    pages,
    too_short: tooShort,
    japanese_pages: japanese,
    precheck_recall: japanese === 0 ? null : round((japanese - missed.length) / japanese),
    missed: missed.length,
    other_pages: others,
    other_pass_rate: others === 0 ? null : round(othersPassed / others),
  });
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(path, e.name)) : e.name.endsWith('.tsv') || e.name.endsWith('.md') || e.name.endsWith('.json') || e.name.endsWith('.paths') ? [] : [join(path, e.name)]));
}

/** As `pnpm pipeline` recognises its inputs (packages/crawler/src/inputs.ts). */
const WARC_FILE = /\.(?:warc|arc)(?:\.gz)?$/;

async function* pagesIn(path: string): AsyncGenerator<Page> {
  if (WARC_FILE.test(path)) {
    for await (const item of readWarc(path)) {
      if (item instanceof InputError || item.type !== 'response') continue;
      const http = parseHttpResponse(item.block, MAX_BODY);
      if (typeof http === 'string' || http.status !== 200) continue;
      const type = http.headers.get('content-type') ?? null;
      if (type !== null && !/html|xml|text\/plain/i.test(type)) continue;
      yield { where: `${path} @${item.offset} ${item.headers.get('warc-target-uri') ?? ''}`, body: http.body, contentType: type };
    }
    return;
  }
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      return; // not a gzip file after all: not a page
    }
  }
  yield { where: path, body: bytes, contentType: null };
}

function pageText(page: Page): string {
  const decoded = decodeBody(page.body, page.contentType).text;
  return /^\s*(?:<!doctype|<html|<\?xml|<head|<body|<meta|<!--)/i.test(decoded.slice(0, 512)) || decoded.includes('</p>') ? extractMainText(decoded).text : decoded;
}
