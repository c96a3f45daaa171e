import { hasJapaneseBytes } from '@jcp/filters';
import type { Drop, Step, StepEnv } from '../step.ts';
import type { HtmlPage } from './items.ts';
import { bodyView } from './page-preview.ts';

/**
 * `precheck`: kana byte patterns of UTF-8, Shift_JIS, EUC-JP or ISO-2022-JP somewhere in the raw body.
 * One byte scan, before any decoding or parsing: a non-Japanese page costs its gunzip and this.
 */
export function japaneseBytes({ config }: StepEnv): Step<HtmlPage, HtmlPage> {
  return {
    name: 'precheck',
    sample: bodyView,
    apply: (page): HtmlPage | Drop => (hasJapaneseBytes(page.body, config.langid) ? page : { drop: 'no-japanese-bytes' }),
  };
}
