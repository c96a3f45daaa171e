/**
 * URL, e-mail and digit density: the share of the text inside URLs, inside e-mail addresses, and in
 * digits (NeMo Curator's UrlsFilter / NumbersFilter, measured on characters). URLs are matched with one
 * linear regex (scheme or www.), e-mail addresses with the bounded `@` scan the PII masker uses.
 * Shares of URL and address characters are over UTF-16 units (the same as characters: both are ASCII).
 */
import { findEmail } from '../normalize/pii.ts';
import type { Scorer } from '../profiles/scorer.ts';
import { CharClass } from './char-classes.ts';
import { analyzeText, ratio } from './text-stats.ts';

export const DENSITY_SCORES = ['url_count', 'url_char_share', 'email_count', 'email_char_share', 'digit_share'] as const;

/** RFC 3986 characters after a scheme, or after `www.` + a dotted host. */
const URL_PATTERN = /(?:https?|ftp):\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*/g;

const emailSpan = new Int32Array(3);

export function createDensityScorer(): Scorer {
  return {
    name: 'density',
    scoreNames: DENSITY_SCORES,
    score({ text }) {
      const s = analyzeText(text);
      let urls = 0;
      let urlChars = 0;
      URL_PATTERN.lastIndex = 0;
      for (let m = URL_PATTERN.exec(text); m !== null; m = URL_PATTERN.exec(text)) {
        urls++;
        urlChars += m[0].length;
      }
      let emails = 0;
      let emailChars = 0;
      let pos = 0;
      while (findEmail(text, pos, emailSpan)) {
        emails++;
        emailChars += emailSpan[1]! - emailSpan[0]!;
        pos = emailSpan[1]!;
      }
      return {
        url_count: urls,
        url_char_share: ratio(urlChars, text.length),
        email_count: emails,
        email_char_share: ratio(emailChars, text.length),
        digit_share: ratio(s.classes[CharClass.DIGIT]!, s.chars),
      };
    },
  };
}
