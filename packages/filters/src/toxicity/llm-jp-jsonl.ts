/**
 * The LLM-jp Toxicity Dataset as JSON Lines: one object a line, `{"id"?, "text", "label", ...}` with
 * `label` one of `toxic`, `nontoxic`, `has_toxic_expression` and per-category `yes`/`no` fields
 * (obscene, discriminatory, violent, illegal, personal, corporate, others) that we do not use.
 *
 * The binary target: only `toxic` is toxic. Source: LLM-jp (2024), "LLM-jp: A Cross-organizational
 * Project for the Research and Development of Fully Open Japanese LLMs", arXiv:2407.03963, §6.2 (the
 * dataset's own description, also in its README at gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-toxicity-dataset):
 * "Has_toxic_expression: the text contains potentially toxic expressions but is not toxic overall", and
 * the paper's count of toxic texts (767 of 1,867, Table 15) leaves the 72 `has_toxic_expression` texts out.
 * So dropping one is dropping a document the annotator judged not toxic: it counts as clean in every
 * figure, as a 1–1 "Hard to Say" split of the inspection-ai CSV does (`isToxicByMajority`). Under the
 * `vote-share` target it trains at 0.5, the same soft value as such a split; under `majority` (the
 * committed recipe) at 0.
 *
 * Each text had one annotator (paper, footnote 45), so there are no vote counts: `votes` stays unset.
 */
import { ToxicityDataError, type ToxicityRow } from './dataset.ts';

export const LLM_JP_LABELS = ['toxic', 'nontoxic', 'has_toxic_expression'] as const;
export type LlmJpLabel = (typeof LLM_JP_LABELS)[number];

export const LLM_JP_LABEL_RULE =
  'LLM-jp label: toxic = toxic; nontoxic and has_toxic_expression ("not toxic overall", arXiv:2407.03963 §6.2) = not toxic';

/** The training share of each label under the `vote-share` target (see the file comment for has_toxic_expression). */
const TOXIC_SHARE: Record<LlmJpLabel, number> = { toxic: 1, nontoxic: 0, has_toxic_expression: 0.5 };

export interface ParsedToxicityLines {
  rows: ToxicityRow[];
  /** Every skipped line, in file order. */
  problems: ToxicityDataError[];
}

const isLabel = (value: string): value is LlmJpLabel => (LLM_JP_LABELS as readonly string[]).includes(value);

/** Longest excerpt of a bad value quoted in an error (a whole document would flood the log). */
const MAX_QUOTED_CHARS = 60;

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}

/**
 * Parses LLM-jp Toxicity JSONL. A bad line (not JSON, not an object, no non-blank `text` string, an empty
 * or unknown `label`) never stops the read: it is skipped and returned as a `ToxicityDataError`. Labels
 * are matched exactly, so a misspelt one is counted rather than guessed. Blank lines are not records.
 */
export function parseLlmJpToxicityJsonl(content: string, source: string): ParsedToxicityLines {
  const rows: ToxicityRow[] = [];
  const problems: ToxicityDataError[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    // A BOM on the first line and CR of CRLF files are not part of the JSON.
    let raw = lines[i]!;
    if (i === 0 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      problems.push(new ToxicityDataError('not-json', source, lineNo, `expected one JSON object per line (${(error as Error).message})`));
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      problems.push(new ToxicityDataError('not-an-object', source, lineNo, `expected a JSON object, got ${quote(parsed)}`));
      continue;
    }
    const record = parsed as Record<string, unknown>;
    const text = record.text;
    if (typeof text !== 'string' || text.trim() === '') {
      problems.push(new ToxicityDataError('missing-text', source, lineNo, `expected a non-blank string "text", got ${quote(text ?? null)}`));
      continue;
    }
    const label = record.label;
    if (label === undefined || label === null || label === '') {
      problems.push(new ToxicityDataError('missing-label', source, lineNo, `expected "label" to be one of ${LLM_JP_LABELS.join(', ')}`));
      continue;
    }
    if (typeof label !== 'string' || !isLabel(label)) {
      problems.push(new ToxicityDataError('unknown-label', source, lineNo, `"label" is ${quote(label)}, expected one of ${LLM_JP_LABELS.join(', ')}`));
      continue;
    }
    const id = record.id;
    rows.push({
      id: typeof id === 'string' || typeof id === 'number' ? String(id) : `line-${lineNo}`,
      text,
      label,
      toxicShare: TOXIC_SHARE[label],
      toxic: label === 'toxic',
      line: lineNo,
    });
  }
  return { rows, problems };
}
