import parquet from '@dsnp/parquetjs';
import { DOC_COLUMNS, type Column } from './columns.ts';

/** A Parquet row as parquetjs reads it: INT64 as bigint, TIMESTAMP_MILLIS as Date. */
export type ParquetRow = Record<string, unknown>;

/** Streams the rows of a Parquet file, a row group at a time. */
export async function* readParquetRows(path: string): AsyncGenerator<ParquetRow> {
  const reader = await parquet.ParquetReader.openFile(path);
  try {
    const cursor = reader.getCursor();
    for (;;) {
      const row = (await cursor.next()) as ParquetRow | null;
      if (!row) return;
      yield row;
    }
  } finally {
    await reader.close();
  }
}

export async function parquetFieldNames(path: string): Promise<string[]> {
  const reader = await parquet.ParquetReader.openFile(path);
  try {
    return reader.schema.fieldList.map((f) => f.name);
  } finally {
    await reader.close();
  }
}

/**
 * Columns that copy rows read from a shard with the doc schema into another: the fixed doc columns by
 * name, every other field (the filter scores) as a nullable DOUBLE.
 */
export function passthroughColumns(fieldNames: string[]): Array<Column<ParquetRow>> {
  const fixed = new Map(DOC_COLUMNS.map((c) => [c.name, c]));
  return fieldNames.map((name) => {
    const c = fixed.get(name);
    return {
      name,
      type: c?.type ?? 'DOUBLE',
      optional: c ? (c.optional ?? false) : true,
      ...(c?.statistics === false ? { statistics: false as const } : {}),
      description: c?.description ?? `filter score ${name}`,
      value: (row: ParquetRow) => plainValue(row[name]),
    };
  });
}

function plainValue(v: unknown): string | number | Date | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  throw new Error(`unexpected Parquet value of type ${typeof v}`);
}

/** Rows a Parquet file's footer declares: reads the footer only, so it also tells a torn or foreign file (it throws). */
export async function parquetRowCount(path: string): Promise<number> {
  const reader = await parquet.ParquetReader.openFile(path);
  try {
    return Number(reader.getRowCount());
  } finally {
    await reader.close();
  }
}
