import { esc, formatInt, formatNumber } from './html.ts';

/** Chart geometry, in CSS pixels: one place for every size the charts use. */
export const CHART = {
  width: 720,
  /** Left column for category labels of horizontal bar charts. */
  labelWidth: 260,
  /** Right column for the value next to a bar. */
  valueWidth: 120,
  barHeight: 18,
  barGap: 6,
  histogramHeight: 160,
  /** Room under a histogram or column chart for the axis labels. */
  axisHeight: 34,
  /** Labels longer than this are cut (the full text is in the bar's tooltip). */
  maxLabelChars: 36,
} as const;

/** Tableau 10: distinguishable colours, also in grey-scale print. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;
const DROPPED_COLOUR = '#e8a3a3';

function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function cut(label: string): string {
  const chars = Array.from(label);
  return chars.length <= CHART.maxLabelChars ? label : `${chars.slice(0, CHART.maxLabelChars - 1).join('')}…`;
}

function svg(width: number, height: number, label: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" role="img" aria-label="${esc(label)}">\n${body}\n</svg>`;
}

export interface Bar {
  label: string;
  value: number;
  /** Tooltip; default `label: value`. */
  title?: string;
}

/** Horizontal bars, one per category, scaled to the largest value. */
export function barChart(bars: readonly Bar[], ariaLabel: string, unit: string): string {
  const plot = CHART.width - CHART.labelWidth - CHART.valueWidth;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = CHART.barHeight + CHART.barGap;
  const rows = bars.map((b, i) => {
    const y = i * step;
    const w = (plot * b.value) / max;
    const title = b.title ?? `${b.label}: ${formatInt(b.value)} ${unit}`;
    return (
      `<g><title>${esc(title)}</title>` +
      `<text x="${CHART.labelWidth - 6}" y="${px(y + CHART.barHeight * 0.75)}" text-anchor="end" class="lbl">${esc(cut(b.label))}</text>` +
      `<rect x="${CHART.labelWidth}" y="${px(y)}" width="${px(Math.max(w, b.value > 0 ? 1 : 0))}" height="${CHART.barHeight}" fill="${PALETTE[0]}"/>` +
      `<text x="${px(CHART.labelWidth + w + 4)}" y="${px(y + CHART.barHeight * 0.75)}" class="val">${formatInt(b.value)}</text></g>`
    );
  });
  return svg(CHART.width, Math.max(step, bars.length * step), ariaLabel, rows.join('\n'));
}

export interface FunnelStep {
  name: string;
  in: number;
  out: number;
}

/** One bar per stage: what it passed on (solid) and what it dropped (light), scaled to the widest input. */
export function funnelChart(steps: readonly FunnelStep[], ariaLabel: string, unit: string): string {
  const plot = CHART.width - CHART.labelWidth - CHART.valueWidth;
  const max = Math.max(1, ...steps.map((s) => s.in));
  const step = CHART.barHeight + CHART.barGap;
  const rows = steps.map((s, i) => {
    const y = i * step;
    const wOut = (plot * s.out) / max;
    const wDrop = (plot * Math.max(0, s.in - s.out)) / max;
    return (
      `<g><title>${esc(`${s.name}: ${formatInt(s.in)} ${unit} in, ${formatInt(s.out)} out, ${formatInt(s.in - s.out)} dropped`)}</title>` +
      `<text x="${CHART.labelWidth - 6}" y="${px(y + CHART.barHeight * 0.75)}" text-anchor="end" class="lbl">${esc(cut(s.name))}</text>` +
      `<rect x="${CHART.labelWidth}" y="${px(y)}" width="${px(wOut)}" height="${CHART.barHeight}" fill="${PALETTE[0]}"/>` +
      `<rect x="${px(CHART.labelWidth + wOut)}" y="${px(y)}" width="${px(wDrop)}" height="${CHART.barHeight}" fill="${DROPPED_COLOUR}"/>` +
      `<text x="${px(CHART.labelWidth + wOut + wDrop + 4)}" y="${px(y + CHART.barHeight * 0.75)}" class="val">${formatInt(s.out)} / ${formatInt(s.in)}</text></g>`
    );
  });
  return svg(CHART.width, Math.max(step, steps.length * step), ariaLabel, rows.join('\n'));
}

export interface HistogramBins {
  edges: readonly number[];
  counts: readonly number[];
  integer: boolean;
}

function edgeLabel(v: number, integer: boolean): string {
  return integer ? formatInt(Math.round(v)) : formatNumber(v);
}

/** Vertical bars over bins; the x axis shows the outer edges and the middle one, the y axis the tallest count. */
export function histogramChart(h: HistogramBins, ariaLabel: string, unit: string): string {
  const left = 56;
  const plot = CHART.width - left - 16;
  const height = CHART.histogramHeight;
  const n = h.counts.length;
  const max = Math.max(1, ...h.counts);
  const w = n === 0 ? plot : plot / n;
  const bars = h.counts.map((c, i) => {
    const bh = (height * c) / max;
    const lo = edgeLabel(h.edges[i]!, h.integer);
    const hi = edgeLabel(h.edges[i + 1]!, h.integer);
    return (
      `<g><title>${esc(`${lo} – ${hi}: ${formatInt(c)} ${unit}`)}</title>` +
      `<rect x="${px(left + i * w + 0.5)}" y="${px(height - bh)}" width="${px(Math.max(0, w - 1))}" height="${px(bh)}" fill="${PALETTE[0]}"/></g>`
    );
  });
  const axis: string[] = [
    `<line x1="${left}" y1="${height}" x2="${left + plot}" y2="${height}" class="axis"/>`,
    `<text x="${left - 4}" y="10" text-anchor="end" class="val">${formatInt(max)}</text>`,
    `<text x="${left - 4}" y="${height}" text-anchor="end" class="val">0</text>`,
  ];
  if (n > 0) {
    const mid = Math.floor(n / 2);
    axis.push(`<text x="${left}" y="${height + 14}" text-anchor="start" class="val">${esc(edgeLabel(h.edges[0]!, h.integer))}</text>`);
    axis.push(`<text x="${px(left + mid * w)}" y="${height + 14}" text-anchor="middle" class="val">${esc(edgeLabel(h.edges[mid]!, h.integer))}</text>`);
    axis.push(`<text x="${left + plot}" y="${height + 14}" text-anchor="end" class="val">${esc(edgeLabel(h.edges[n]!, h.integer))}</text>`);
  }
  return svg(CHART.width, height + CHART.axisHeight, ariaLabel, [...bars, ...axis].join('\n'));
}

export interface StackedColumn {
  label: string;
  parts: ReadonlyArray<{ key: string; value: number }>;
}

/** Vertical stacked columns (one per run), parts coloured by key, with a legend. */
export function stackedColumnChart(columns: readonly StackedColumn[], keys: readonly string[], ariaLabel: string, unit: string): string {
  const left = 80;
  const legend = 18;
  const plot = CHART.width - left - 16;
  const height = CHART.histogramHeight;
  const totals = columns.map((c) => c.parts.reduce((s, p) => s + p.value, 0));
  const max = Math.max(1, ...totals);
  const w = columns.length === 0 ? plot : plot / columns.length;
  const colour = (key: string): string => PALETTE[Math.max(0, keys.indexOf(key)) % PALETTE.length]!;
  const body: string[] = [];
  keys.forEach((k, i) => {
    body.push(`<rect x="${left + i * 140}" y="2" width="10" height="10" fill="${colour(k)}"/><text x="${left + i * 140 + 14}" y="11" class="val">${esc(cut(k))}</text>`);
  });
  columns.forEach((c, i) => {
    let y = legend + height;
    for (const p of c.parts) {
      const h = (height * p.value) / max;
      y -= h;
      body.push(
        `<g><title>${esc(`${c.label} · ${p.key}: ${formatInt(p.value)} ${unit}`)}</title><rect x="${px(left + i * w + 2)}" y="${px(y)}" width="${px(Math.max(1, w - 4))}" height="${px(h)}" fill="${colour(p.key)}"/></g>`,
      );
    }
    body.push(`<text x="${px(left + i * w + w / 2)}" y="${legend + height + 14}" text-anchor="middle" class="val">${esc(cut(c.label))}</text>`);
  });
  body.push(`<line x1="${left}" y1="${legend + height}" x2="${left + plot}" y2="${legend + height}" class="axis"/>`);
  body.push(`<text x="${left - 4}" y="${legend + 10}" text-anchor="end" class="val">${formatInt(max)}</text>`);
  return svg(CHART.width, legend + height + CHART.axisHeight, ariaLabel, body.join('\n'));
}
