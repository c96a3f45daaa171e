import { createHash } from 'node:crypto';
import { codePointLength, utf8Length, type Doc } from '@jcp/core';
import { decodeBody, parseHttpResponse, type WarcRecord } from '@jcp/crawler';
import { extractMainText, hasJapaneseBytes, type LanguageDetector } from '@jcp/filters';
import type { AuditSampler, LedgerBuilder, StageCounter, TokenCounter } from '@jcp/stats';
import { TextFilterStages } from './text-filters.ts';
import type { WebPageChainConfig } from './web-page-config.ts';

/** Where the documents of this chain go and what they are called. */
export interface DocOrigin {
  source: string;
  subcorpus: string;
  crawl: string;
  warcFile: string;
}

const utf8 = new TextEncoder();


/**
 * A WARC response record → a Japanese `Doc`, or null with the reason counted. The steps run cheapest
 * first: a non-Japanese page costs its gunzip, two header parses and one byte scan, nothing more.
 */
export class WebPageChain {
  private readonly html: StageCounter;
  private readonly precheck: StageCounter;
  private readonly decode: StageCounter;
  private readonly extract: StageCounter;
  private readonly langid: StageCounter;
  private readonly textStages: TextFilterStages;

  constructor(
    private readonly config: WebPageChainConfig,
    private readonly detector: LanguageDetector,
    ledger: LedgerBuilder,
    /** Called for drops caused by broken input (not by the page merely not being Japanese), with what was wrong. */
    private readonly onBadInput: (record: WarcRecord, reason: string, detail: string) => void,
    private readonly sampler: AuditSampler,
    tokenCounter: TokenCounter,
  ) {
    this.html = ledger.stage('html');
    this.precheck = ledger.stage('precheck');
    this.decode = ledger.stage('decode');
    this.extract = ledger.stage('extract');
    this.langid = ledger.stage('langid');
    this.textStages = new TextFilterStages(config.filters, ledger, sampler, tokenCounter);
  }

  /** Names of the filter scores every Doc carries, in column order. */
  get scoreNames(): string[] {
    return this.textStages.scoreNames;
  }

  process(record: WarcRecord, origin: DocOrigin): Doc | null {
    const c = this.config;
    const blockBytes = record.block.length;
    this.html.in(blockBytes, 0);
    const http = parseHttpResponse(record.block, c.maxHtmlBytes + 1);
    if (typeof http === 'string') return this.badInput(record, 'bad-http-response', blockBytes, http);
    if (http.status < 200 || http.status > 299) return this.dropHtml(`http-${Math.floor(http.status / 100)}xx`, blockBytes);
    const contentType = http.headers.get('content-type') ?? '';
    const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
    if (!c.htmlContentTypes.includes(mime)) return this.dropHtml('not-html', blockBytes);
    const body = http.body;
    if (body.length === 0) return this.dropHtml('empty-body', blockBytes);
    if (body.length > c.maxHtmlBytes) {
      return this.badInput(record, 'html-too-large', body.length, `HTML body of ${body.length} bytes exceeds the ${c.maxHtmlBytes}-byte limit`);
    }
    if (looksBinary(body, c.binaryProbeBytes, c.maxControlByteShare)) {
      return this.badInput(record, 'binary-body', body.length, `body labelled ${mime} holds binary data (control bytes in the first ${c.binaryProbeBytes})`);
    }
    this.html.out(body.length, 0);

    this.precheck.in(body.length, 0);
    if (!hasJapaneseBytes(body, c.langid)) {
      this.precheck.drop('no-japanese-bytes', body.length, 0);
      return null;
    }
    this.precheck.out(body.length, 0);

    this.decode.in(body.length, 0);
    const decoded = decodeBody(body, contentType);
    if (decoded.replacementChars > decoded.text.length * c.maxReplacementShare) {
      this.decode.drop('undecodable', body.length, codePointLength(decoded.text));
      const declared = decoded.charsetDeclared ? `declared ${decoded.charsetDeclared}` : 'no charset declared';
      this.onBadInput(record, 'undecodable', `${decoded.replacementChars} of ${decoded.text.length} characters undecodable as ${decoded.charset} (${declared})`);
      return null;
    }
    const htmlChars = codePointLength(decoded.text);
    this.decode.out(body.length, htmlChars);

    this.extract.in(body.length, htmlChars);
    const extracted = extractMainText(decoded.text, c.extract);
    if (extracted.text.length === 0) {
      this.extract.drop('no-main-text', body.length, htmlChars);
      return null;
    }
    const textBytes = utf8Length(extracted.text);
    const textChars = codePointLength(extracted.text);
    this.extract.out(textBytes, textChars);

    const url = unbracket(record.headers.get('warc-target-uri') ?? '');
    const recordId = record.headers.get('warc-record-id') ?? '';
    const id = docId(recordId || `${origin.warcFile}@${record.offset}`);
    this.langid.in(textBytes, textChars);
    const guess = this.detector.detect(extracted.text);
    const langReason = guess.lang !== c.lang ? `not-${c.lang}` : guess.score < c.minLangScore ? `low-${c.lang}-score` : null;
    if (langReason) {
      this.langid.drop(langReason, textBytes, textChars);
      // Only a preview is kept: slicing first avoids copying every non-Japanese text into a new string.
      const preview = extracted.text.slice(0, c.filters.auditPreviewChars);
      this.sampler.offer('langid', langReason, id, url, { lang_score: guess.score }, `[${guess.lang}] ${preview}`);
      return null;
    }
    this.langid.out(textBytes, textChars);

    const filtered = this.textStages.apply(extracted.text, textBytes, textChars, id, url);
    if (!filtered.keep) return null;
    return {
      id,
      text: filtered.text,
      title: extracted.title,
      url,
      host: hostOf(url),
      source: origin.source,
      subcorpus: origin.subcorpus,
      crawl: origin.crawl,
      warcFile: origin.warcFile,
      warcRecordId: recordId,
      warcOffset: record.offset,
      warcPayloadDigest: record.headers.get('warc-payload-digest') ?? '',
      fetchedAt: record.headers.get('warc-date') ?? '',
      charsetDeclared: decoded.charsetDeclared,
      charset: decoded.charset,
      lang: guess.lang,
      tokenCount: filtered.tokens,
      langScore: guess.score,
      scores: filtered.scores,
    };
  }

  private dropHtml(reason: string, bytes: number): null {
    this.html.drop(reason, bytes, 0);
    return null;
  }

  private badInput(record: WarcRecord, reason: string, bytes: number, detail: string): null {
    this.onBadInput(record, reason, detail);
    return this.dropHtml(reason, bytes);
  }
}

/** 32 hex characters (128 bits) of SHA-256: collision-free at any corpus size, short in Parquet. */
export function docId(key: string): string {
  return createHash('sha256').update(utf8.encode(key)).digest('hex').slice(0, 32);
}

function unbracket(uri: string): string {
  // WARC/0.18 and some writers wrap the URI in angle brackets.
  return uri.startsWith('<') && uri.endsWith('>') ? uri.slice(1, -1) : uri;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/([^/:?#\s]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  }
}

/**
 * Binary data served as text/html: control bytes in the first few KB. UTF-16 (BOM) is text with NULs,
 * so it is let through to the decoder.
 */
export function looksBinary(body: Uint8Array, probeBytes: number, maxControlShare: number): boolean {
  if ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff)) return false;
  const n = Math.min(body.length, probeBytes);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = body[i]!;
    // Tab, LF, FF, CR and ESC (ISO-2022-JP shifts) are text.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
  }
  return control > n * maxControlShare;
}
