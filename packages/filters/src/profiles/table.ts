/**
 * The rule × profile table of docs/filters.md, generated from the profile tables so the documentation
 * cannot drift from the rules that run. A row is a rule of a reference profile, or a rule of ours that
 * derives from no reference rule; a rule of ours that derives from a reference rule (`anchor`) sits in
 * that rule's row, so each row reads as "what each profile does about this".
 */
import { keptRange, type Rule } from './rule.ts';
import type { FilterProfile } from './profile.ts';

interface Row {
  key: string;
  cells: Map<string, string[]>;
}

function cell(rule: Rule, key: string): string {
  const reason = rule.reason && rule.reason !== key ? ` → ${rule.reason}` : '';
  return `${key}${reason}: \`${rule.score}\` ${keptRange(rule)}`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown: the table, then every rule's source per profile. */
export function profilesMarkdown(profiles: readonly FilterProfile[]): string {
  const rows = new Map<string, Row>();
  const rowOf = (key: string): Row => {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, cells: new Map() }));
    return row;
  };
  // Reference profiles first, so their rules give the rows their order; ours join them by anchor.
  const ordered = [...profiles].sort((a, b) => Number(a.referenceScores === undefined) - Number(b.referenceScores === undefined));
  for (const profile of ordered) {
    for (const table of Object.values(profile.steps)) {
      for (const [key, rule] of Object.entries(table.rules)) {
        const row = rowOf(rule.anchor ?? `${profile.name}:${key}`);
        const cells = row.cells.get(profile.name) ?? [];
        cells.push(cell(rule, key));
        row.cells.set(profile.name, cells);
      }
    }
  }
  const names = profiles.map((p) => p.name);
  const lines = [`| rule | ${names.join(' | ')} |`, `| --- | ${names.map(() => '---').join(' | ')} |`];
  for (const row of rows.values()) {
    lines.push(`| ${row.key} | ${names.map((n) => escape((row.cells.get(n) ?? ['—']).join('<br>'))).join(' | ')} |`);
  }
  lines.push('');
  for (const profile of profiles) {
    lines.push(`### ${profile.name}`, '', profile.description, '');
    for (const [step, table] of Object.entries(profile.steps)) {
      lines.push(`- step \`${step}\`${table.transform ? ` (transform: ${table.transform})` : ''}:`);
      for (const [key, rule] of Object.entries(table.rules)) lines.push(`  - \`${key}\` (\`${rule.score}\` ${keptRange(rule)}): ${escape(rule.source)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
