/**
 * The count behind `has_good_average_sentence_length` = HojiChar v0.9.0
 * `DiscardRareKuten(max_average_sentence_length=250)`: `len(re.findall("。", text))`, U+3002 only
 * (． ！ ？ . and the half-width ｡ do not count).
 */
export function countKuten(text: string): number {
  let kuten = 0;
  for (let i = text.indexOf('。'); i >= 0; i = text.indexOf('。', i + 1)) kuten++;
  return kuten;
}
