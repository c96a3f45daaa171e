/** Rows as JSON Lines: one JSON object per line, each line ended (the audit, error and removed-doc files). */
export function jsonLines(rows: readonly unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** The rows of a JSON Lines text; blank lines are skipped. */
export function parseJsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
