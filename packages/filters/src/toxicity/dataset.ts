/**
 * The labelled toxicity data: inspection-ai/japanese-toxic-dataset CSV (as in
 * `../shared/data/toxicity/inspection-ai.dev.csv`): `id,text,Not Toxic,Hard to Say,Toxic,Very Toxic,
 * category_…,annotation_num`, one row per short sentence with annotator vote counts. The LLM-jp
 * Toxicity JSONL reader is `llm-jp-jsonl.ts`; `read-data.ts` picks the reader for a file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and newlines; CRLF or LF line ends;
 * a UTF-8 BOM is skipped. Returns the records with the 1-based line each one starts on.
 * Throws on an unterminated quote, naming the line where the field began.
 */
export function parseCsv(content: string, source = 'csv'): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  const n = content.length;
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoteLine = 0;
  let line = 1;
  let recordLine = 1;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields }); // skip blank lines
    fields = [];
    field = '';
  };
  for (let i = content.charCodeAt(0) === 0xfeff ? 1 : 0; i < n; i++) {
    const c = content.charCodeAt(i);
    if (inQuotes) {
      if (c === 0x22 /* " */) {
        if (content.charCodeAt(i + 1) === 0x22) {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === 0x0a) line++;
        field += content[i];
      }
    } else if (c === 0x22) {
      inQuotes = true;
      quoteLine = line;
    } else if (c === 0x2c /* , */) {
      fields.push(field);
      field = '';
    } else if (c === 0x0a || c === 0x0d) {
      if (c === 0x0d && content.charCodeAt(i + 1) === 0x0a) i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += content[i];
    }
  }
  if (inQuotes) throw new Error(`${source}:${quoteLine}: unterminated quoted field`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

export interface ToxicityVotes {
  notToxic: number;
  hardToSay: number;
  toxic: number;
  veryToxic: number;
}

export interface ToxicityRow {
  id: string;
  text: string;
  /** Annotator vote counts: inspection-ai CSV rows only (an LLM-jp JSONL row had one annotator and carries `label`). */
  votes?: ToxicityVotes;
  /** The source's own label, when it has one (LLM-jp JSONL: toxic, nontoxic, has_toxic_expression). */
  label?: string;
  /** (Toxic + Very Toxic) / all votes, or the label's share (see `llm-jp-jsonl.ts`): the soft target. */
  toxicShare: number;
  /** The gold label of every figure we report: see `isToxicByMajority` and `LLM_JP_LABEL_RULE`. */
  toxic: boolean;
  /** Line of the file the row starts on (for error messages and examples). */
  line: number;
}

export const LABEL_RULE = 'toxic when Toxic + Very Toxic votes > Not Toxic + Hard to Say votes (strict majority; ties are not toxic)';

/**
 * The dataset README's rule. With two annotators (256 of 275 dev rows) this means both said toxic; a
 * 1–1 split (29 dev rows) is not toxic, because "Hard to Say" is not a vote to drop. Training may still
 * use the vote share as a soft target (see the trainer), but evaluation always uses this label.
 */
export function isToxicByMajority(v: ToxicityVotes): boolean {
  return v.toxic + v.veryToxic > v.notToxic + v.hardToSay;
}

const COLUMNS = { id: 'id', text: 'text', notToxic: 'Not Toxic', hardToSay: 'Hard to Say', toxic: 'Toxic', veryToxic: 'Very Toxic' } as const;

/** Parses the CSV content; every problem names `source`, the line and the column. */
export function parseToxicityCsv(content: string, source: string): ToxicityRow[] {
  const records = parseCsv(content, source);
  const header = records[0];
  if (!header) throw new Error(`${source}: empty file, expected a header with ${Object.values(COLUMNS).join(', ')}`);
  const column = (name: string): number => {
    const at = header.fields.findIndex((f) => f.trim() === name);
    if (at < 0) throw new Error(`${source}:${header.line}: missing column "${name}" in header (${header.fields.join(', ')})`);
    return at;
  };
  const at = {
    id: header.fields.findIndex((f) => f.trim() === COLUMNS.id),
    text: column(COLUMNS.text),
    notToxic: column(COLUMNS.notToxic),
    hardToSay: column(COLUMNS.hardToSay),
    toxic: column(COLUMNS.toxic),
    veryToxic: column(COLUMNS.veryToxic),
  };
  const rows: ToxicityRow[] = [];
  for (const record of records.slice(1)) {
    const count = (key: keyof ToxicityVotes): number => {
      const raw = record.fields[at[key]];
      const value = raw === undefined ? NaN : Number(raw.trim());
      if (!Number.isInteger(value) || value < 0) {
        throw new Error(`${source}:${record.line}: column "${COLUMNS[key]}" should be a vote count, got ${JSON.stringify(raw ?? null)}`);
      }
      return value;
    };
    const votes: ToxicityVotes = { notToxic: count('notToxic'), hardToSay: count('hardToSay'), toxic: count('toxic'), veryToxic: count('veryToxic') };
    const total = votes.notToxic + votes.hardToSay + votes.toxic + votes.veryToxic;
    rows.push({
      id: at.id >= 0 ? (record.fields[at.id] ?? '') : String(rows.length),
      text: record.fields[at.text] ?? '',
      votes,
      toxicShare: total === 0 ? 0 : (votes.toxic + votes.veryToxic) / total,
      toxic: isToxicByMajority(votes),
      line: record.line,
    });
  }
  return rows;
}

/** Why a record was skipped; a read counts skipped records under these reasons. */
export type ToxicityDataSkipReason = 'not-json' | 'not-an-object' | 'missing-text' | 'missing-label' | 'unknown-label';

/** One skipped record: the message names the file and its 1-based line, and what was expected there. */
export class ToxicityDataError extends Error {
  constructor(
    readonly reason: ToxicityDataSkipReason,
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${reason}: ${detail}`);
    this.name = 'ToxicityDataError';
  }
}

/** Skipped records per reason, for a run's summary line. */
export function countByReason(problems: readonly ToxicityDataError[]): Partial<Record<ToxicityDataSkipReason, number>> {
  const counts: Partial<Record<ToxicityDataSkipReason, number>> = {};
  for (const p of problems) counts[p.reason] = (counts[p.reason] ?? 0) + 1;
  return counts;
}

export type ToxicityDataFormat = 'inspection-ai-csv' | 'llm-jp-jsonl';

export interface ToxicityDataset {
  path: string;
  /** Of the file's bytes as stored (compressed, for a `.gz`): what a model's `trainedOn.sha256` is compared with. */
  sha256: string;
  format: ToxicityDataFormat;
  /** How `toxic` was decided for this format. */
  labelRule: string;
  rows: ToxicityRow[];
  /** Records skipped (the read went on without them), in file order; always empty for the CSV, whose bad rows throw. */
  problems: ToxicityDataError[];
}

export function readToxicityCsv(path: string): ToxicityDataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read toxicity CSV ${path}: ${(error as Error).message}`);
  }
  return {
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    format: 'inspection-ai-csv',
    labelRule: LABEL_RULE,
    rows: parseToxicityCsv(bytes.toString('utf8'), path),
    problems: [],
  };
}

/** How a row becomes a training target: its majority label (0/1), or its share of toxic votes (a 1–1 split is 0.5). */
export type TargetRule = 'majority' | 'vote-share';

export function trainingTarget(row: ToxicityRow, rule: TargetRule): number {
  return rule === 'majority' ? (row.toxic ? 1 : 0) : row.toxicShare;
}
