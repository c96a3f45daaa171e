import type { HistoryEntry, HistoryRunStats } from '../history.ts';
import type { Ledger } from '../ledger.ts';

/** The part of stats.json the report shows (the pipeline's `RunStats` is assignable to it). */
export interface ReportRunStats extends HistoryRunStats {
  byWarc: ReadonlyArray<{ taskId: string; warcFile: string; crawl: string; inputBytes: number; ledger: Ledger; errors: number }>;
  dedup: ReportDedupSummary | null;
  failed: ReadonlyArray<{ taskId: string; error: string }>;
  /** Drop reason → audit samples written to `samples/<reason>.jsonl`. */
  samples: Record<string, number>;
  /** The filter profile the run applied (`jcp-v1`, `swallow-v1`, `llm-jp-v2`; absent in runs before profiles). */
  filterProfile?: string;
  /** Milliseconds in each per-record step, summed over the tasks (absent in runs before step timings). */
  stepMs?: Record<string, number>;
  /** Site-level repeated-line removal (null or absent: the run had none). */
  siteBoilerplate?: ReportSiteBoilerplate | null;
}

/** What site-line removal took, in total and on the hosts that lost the most characters. */
export interface ReportSiteBoilerplate {
  minPages: number;
  minShare: number;
  lines: number;
  chars: number;
  tokens: number;
  /** Pages that lost every counted line, dropped as `only-site-boilerplate`. */
  pagesEmptied: number;
  /**
   * The hosts that lost the most characters (`siteLines.topHosts` of them), summed over the WARCs' own
   * top lists: a host that is small in every WARC may be missing or under-counted.
   */
  topHosts: ReadonlyArray<{ host: string; pages: number; lines: number; chars: number; tokens: number }>;
}

export interface ReportDedupSummary {
  bands: number;
  rows: number;
  threshold: number;
  shingleChars: number;
  indexSegments: string[];
  committedAs: string | null;
  clusters: number;
  clusteredDocs: number;
  /** Docs earlier runs of other subcorpora published that this run's docs supersede, by their subcorpus. */
  superseded: Record<string, number>;
  perBand: ReadonlyArray<{ section: number; exact: boolean; entries: number; groups: number; candidates: number; pairs: number }>;
}

/** Kept documents counted from the Parquet shards, grouped by one or more columns. */
export interface ShardGroup {
  /** Column name → value, e.g. `{ source: 'cc', subcorpus: 'ja_cc' }`. */
  key: Record<string, string>;
  docs: number;
  chars: number;
  bytes: number;
  tokens: number;
}

/** A histogram computed over the shards: `counts[i]` values fall in `[edges[i], edges[i + 1])` (the last bin is closed). */
export interface Histogram {
  /** What is binned: a Parquet column or an expression's name (`chars`, `tokens`). */
  name: string;
  /** One line on why it is shown. */
  description: string;
  scale: 'linear' | 'log';
  /** Whether the binned values are integers (lengths), for the axis labels. */
  integer: boolean;
  edges: number[];
  counts: number[];
  /** Rows whose value is null (a filter that did not score the document). */
  nulls: number;
  /** Rows binned: Σ counts. */
  values: number;
  /** The column is absent from the shards: nothing was binned. */
  missing: boolean;
}

/** A link from the report to a file of the run folder. */
export interface FileLink {
  /** Relative URL from the report file. */
  href: string;
  /** Path inside the run folder, shown as the link text. */
  label: string;
  exists: boolean;
}

export interface SampleLink extends FileLink {
  reason: string;
  /** Samples in the file (stats.json `samples`). */
  count: number;
  /** The first sample, for a glance without opening the file; null when the file cannot be read. */
  first: { id: string; url: string; text: string } | null;
}

/** A per-task file of the run folder (bad-record log, dedup removals) with its count from stats.json. */
export interface TaskFileLink extends FileLink {
  taskId: string;
  count: number;
}

export interface ReportData {
  stats: ReportRunStats;
  /** Shards read, paths inside the run folder. */
  shards: string[];
  /** Kept docs by source and subcorpus, from the shards. */
  bySourceSubcorpus: ShardGroup[];
  lengthHistograms: Histogram[];
  scoreHistograms: Histogram[];
  samples: SampleLink[];
  errorFiles: TaskFileLink[];
  removedFiles: TaskFileLink[];
  /** The runs of history.jsonl beside the run folder (empty without one), and its link. */
  history: HistoryEntry[];
  historyFile: FileLink | null;
}

/** One run folder below a corpus root, as the corpus report lists it. */
export interface CorpusRun {
  /** Path relative to the corpus root. */
  path: string;
  pipeline: string;
  runId: string;
  source: string;
  subcorpus: string;
  tokenizer: string;
  /** Kept by the run's own ledger (before later runs supersede any of it). */
  kept: { docs: number; chars: number; tokens: number };
  tasks: { total: number; done: number; failed: number };
}

/** Kept documents of the whole corpus counted from every run's shards, grouped, after supersession. */
export type CorpusGroup = ShardGroup;

/** Documents one subcorpus lost to another: dropped by a later run (`dropped`) or superseded after publication (`superseded`). */
export interface CorpusLoss {
  /** The subcorpus whose copy went. */
  loser: string;
  /** The subcorpus whose copy was kept (equal to `loser` for drops against earlier runs of the same subcorpus). */
  winner: string;
  how: 'dropped' | 'superseded';
  docs: number;
  tokens: number;
}

/** A drop reason summed over the corpus' runs, per subcorpus. */
export interface CorpusDrop {
  subcorpus: string;
  stage: string;
  reason: string;
  docs: number;
  tokens: number;
}

export interface CorpusReportData {
  root: string;
  runs: CorpusRun[];
  /** Run folders without a finished stats.json (still running, failed before the end). */
  unfinished: string[];
  /** The corpus as a trainer would read it: every run's shards minus the superseded docs. */
  bySubcorpus: CorpusGroup[];
  bySource: CorpusGroup[];
  byCrawl: CorpusGroup[];
  /** Docs superseded after publication, left out of the groups above. */
  superseded: { docs: number; tokens: number };
  losses: CorpusLoss[];
  drops: CorpusDrop[];
  /** Every history line of every pipeline below the root, oldest first. */
  history: HistoryEntry[];
}
