/** One Allow/Disallow line of the group that applies to us. */
interface Rule {
  allow: boolean;
  /** Normalised pattern (percent-encoding upper-cased, non-ASCII encoded); its length ranks specificity. */
  pattern: string;
  /** Pattern split on `*`. */
  segments: string[];
  /** The pattern ended with `$`: the path must end where the pattern ends. */
  anchored: boolean;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelaySeconds: number | null;
}

/** What robots.txt says about this crawler on one origin (RFC 9309, plus the common Crawl-delay extension). */
export class RobotsPolicy {
  private constructor(
    private readonly rules: Rule[],
    /** Crawl-delay of the applicable group(s), in ms; null when none is given. */
    readonly crawlDelayMs: number | null,
    /** `unreachable` disallows everything (RFC 9309 §2.3.1.4). */
    readonly state: 'parsed' | 'unavailable' | 'unreachable',
  ) {}

  /** RFC 9309 §2.3.1.3: a 4xx robots.txt means there are no restrictions. */
  static unavailable(): RobotsPolicy {
    return new RobotsPolicy([], null, 'unavailable');
  }

  /** RFC 9309 §2.3.1.4: a 5xx or a network failure means complete disallow. */
  static unreachable(): RobotsPolicy {
    return new RobotsPolicy([], null, 'unreachable');
  }

  /**
   * Parses robots.txt and keeps the groups that apply to `productToken`: every group naming it (merged,
   * §2.2.1), or else every `*` group. Unknown lines and rules outside a group are ignored.
   */
  static parse(text: string, productToken: string): RobotsPolicy {
    const groups: Group[] = [];
    let current: Group | null = null;
    let inAgentLines = false;
    for (const rawLine of text.split(/\r\n|\r|\n/)) {
      const hash = rawLine.indexOf('#');
      const line = (hash >= 0 ? rawLine.slice(0, hash) : rawLine).trim();
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'user-agent') {
        if (!current || !inAgentLines) {
          current = { agents: [], rules: [], crawlDelaySeconds: null };
          groups.push(current);
        }
        current.agents.push(value);
        inAgentLines = true;
        continue;
      }
      if (key === 'allow' || key === 'disallow') {
        inAgentLines = false;
        // An empty Disallow allows everything, i.e. it is no rule at all.
        if (current && value !== '') current.rules.push(compileRule(key === 'allow', value));
        continue;
      }
      if (key === 'crawl-delay') {
        inAgentLines = false;
        const seconds = Number(value);
        if (current && Number.isFinite(seconds) && seconds >= 0) {
          current.crawlDelaySeconds = Math.max(current.crawlDelaySeconds ?? 0, seconds);
        }
        continue;
      }
      // Sitemap and unknown records belong to no group and do not end the User-agent lines (§2.2.4).
    }
    const token = productToken.toLowerCase();
    const named = groups.filter((g) => g.agents.some((a) => agentToken(a) === token));
    const applicable = named.length > 0 ? named : groups.filter((g) => g.agents.some((a) => a.trim() === '*'));
    const rules = applicable.flatMap((g) => g.rules);
    const delays = applicable.map((g) => g.crawlDelaySeconds).filter((d): d is number => d !== null);
    return new RobotsPolicy(rules, delays.length > 0 ? Math.max(...delays) * 1000 : null, 'parsed');
  }

  /**
   * Whether a path (with its query) may be fetched: the matching rule with the longest pattern decides,
   * Allow winning a tie (§2.2.2); no match allows. /robots.txt itself is always allowed (§2.2.2).
   */
  isAllowed(pathAndQuery: string): boolean {
    if (this.state === 'unreachable') return false;
    if (pathAndQuery === '/robots.txt') return true;
    const path = normalisePath(pathAndQuery);
    let best: Rule | null = null;
    for (const rule of this.rules) {
      if (!matches(rule, path)) continue;
      if (
        !best ||
        rule.pattern.length > best.pattern.length ||
        (rule.pattern.length === best.pattern.length && rule.allow && !best.allow)
      ) {
        best = rule;
      }
    }
    return best ? best.allow : true;
  }
}

/** The product token of a User-agent value: its leading letters, `_` and `-` (as Google's parser reads it). */
function agentToken(value: string): string {
  return (/^[A-Za-z_-]+/.exec(value.trim())?.[0] ?? '').toLowerCase();
}

function compileRule(allow: boolean, value: string): Rule {
  let pattern = normalisePath(value);
  const anchored = pattern.endsWith('$');
  if (anchored) pattern = pattern.slice(0, -1);
  // Repeated stars mean the same as one; collapsing keeps the matcher linear.
  const segments = pattern.replace(/\*+/g, '*').split('*');
  return { allow, pattern: anchored ? `${pattern}$` : pattern, segments, anchored };
}

const HEX = '0123456789ABCDEF';

/**
 * Puts a path or pattern into one comparable form (§2.2.2): non-ASCII and control characters become
 * UTF-8 percent-escapes, and the hex digits of existing escapes are upper-cased.
 */
function normalisePath(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += `%${text.slice(i + 1, i + 3).toUpperCase()}`;
      i += 2;
    } else if (c <= 0x20 || c >= 0x7f) {
      const cp = text.codePointAt(i) ?? c;
      for (const byte of Buffer.from(String.fromCodePoint(cp), 'utf8')) out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
      if (cp > 0xffff) i++;
    } else {
      out += text[i];
    }
  }
  return out;
}

/** `*` matches any run of characters, a final `$` anchors the end; linear (leftmost segment search). */
function matches(rule: Rule, path: string): boolean {
  const segs = rule.segments;
  const first = segs[0] ?? '';
  if (!path.startsWith(first)) return false;
  if (segs.length === 1) return !rule.anchored || path.length === first.length;
  let pos = first.length;
  for (let k = 1; k < segs.length - 1; k++) {
    const seg = segs[k] ?? '';
    const at = path.indexOf(seg, pos);
    if (at < 0) return false;
    pos = at + seg.length;
  }
  const last = segs[segs.length - 1] ?? '';
  if (!rule.anchored) return path.indexOf(last, pos) >= 0;
  return path.length - last.length >= pos && path.endsWith(last);
}
