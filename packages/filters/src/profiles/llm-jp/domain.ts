/**
 * `has_valid_domain` of llm-jp-corpus v2.0.0 `filters.py`: a URL starting with `https://ja.wikipedia.org/`
 * is rejected; otherwise the last `.`-separated label of `urlparse(url).hostname` must be a line of
 * `ja_valid_domains.txt`. The hostname is Python 3.11's (Debian bookworm 3.11.2-6+deb12u6, the reference
 * run's): leading C0/space stripped, tab/CR/LF removed anywhere, userinfo dropped at the LAST `@`, the
 * port cut at the first `:`, lowercased up to a `%` zone; no IDNA, no percent-decoding, no trailing-dot
 * removal (`example.jp.` has the label "" and fails).
 */
import { readFileSync } from 'node:fs';
import { pythonSplitLines } from './python-str.ts';

/**
 * `set(Path(path).read_text().splitlines())`: every Python line break splits, a blank line in the middle
 * adds "" (which would accept hostnames ending in `.`). Throws naming the file when it cannot be read.
 */
export function loadValidDomains(path: string): Set<string> {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`llm-jp valid-domain list ${path}: cannot read (${(error as Error).message})`);
  }
  return new Set(pythonSplitLines(content));
}

const SCHEME_CHAR = /^[A-Za-z0-9+\-.]*$/;
const IPV_FUTURE = /^v[a-fA-F0-9]+\.[^\n]+$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;
const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** `ipaddress.IPv4Address(s)` accepts: four decimal octets ≤ 255, no leading zeros. */
function isPythonIpv4(s: string): boolean {
  const octets = s.split('.');
  return octets.length === 4 && octets.every((o) => IPV4_OCTET.test(o) && Number(o) <= 255);
}

/** `ipaddress.IPv6Address(s)` accepts (scope id after `%`, embedded IPv4 tail, one `::`). */
function isPythonIpv6(s: string): boolean {
  if (s.includes('/')) return false;
  const percent = s.indexOf('%');
  if (percent >= 0) {
    const scope = s.slice(percent + 1);
    if (scope === '' || scope.includes('%')) return false;
    s = s.slice(0, percent);
  }
  if (s === '') return false;
  const parts = s.split(':');
  if (parts.length < 3) return false;
  if (parts[parts.length - 1]!.includes('.')) {
    if (!isPythonIpv4(parts.pop()!)) return false;
    parts.push('0', '0');
  }
  if (parts.length > 9) return false;
  let skip = -1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] !== '') continue;
    if (skip >= 0) return false;
    skip = i;
  }
  if (skip >= 0) {
    let high = skip;
    let low = parts.length - skip - 1;
    if (parts[0] === '' && --high !== 0) return false;
    if (parts[parts.length - 1] === '' && --low !== 0) return false;
    if (8 - (high + low) < 1) return false;
    return [...parts.slice(0, high), ...parts.slice(parts.length - low)].every((p) => HEXTET.test(p));
  }
  return parts.length === 8 && parts.every((p) => HEXTET.test(p));
}

/** `_check_bracketed_host`: IPvFuture `v<hex>.<anything>`, or an IPv6 (not IPv4) address. */
function isValidBracketedHost(host: string): boolean {
  if (host.startsWith('v')) return IPV_FUTURE.test(host);
  return !isPythonIpv4(host) && isPythonIpv6(host);
}

/**
 * `urlparse(url).hostname`, or null where Python returns None (no `//` authority, empty host) or raises
 * `ValueError` (unbalanced `[`/`]`, an invalid bracketed host, a non-ASCII netloc whose NFKC form gains
 * one of `/?#@:`). The reference would crash on those (`assert domain is not None`, or the exception);
 * a crash decides nothing, so callers treat null as "not a valid domain".
 */
export function pythonUrlHostname(rawUrl: string): string | null {
  let start = 0;
  while (start < rawUrl.length && rawUrl.charCodeAt(start) <= 0x20) start++;
  let url = rawUrl.slice(start).replace(/[\t\r\n]/g, '');
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHAR.test(url.slice(0, colon))) url = url.slice(colon + 1);
  if (!url.startsWith('//')) return null;
  let end = url.length;
  for (const delimiter of ['/', '?', '#']) {
    const at = url.indexOf(delimiter, 2);
    if (at >= 0 && at < end) end = at;
  }
  const netloc = url.slice(2, end);
  const hasOpen = netloc.includes('[');
  if (hasOpen !== netloc.includes(']')) return null;
  const hostAndPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  if (hasOpen) {
    const open = hostAndPort.indexOf('[');
    if (open > 0) return null;
    if (open < 0) {
      // the brackets sit in the userinfo: Python checks the part before the first ':'
      const colonAt = hostAndPort.indexOf(':');
      if (!isValidBracketedHost(colonAt < 0 ? hostAndPort : hostAndPort.slice(0, colonAt))) return null;
    } else {
      const inner = hostAndPort.slice(open + 1);
      const close = inner.indexOf(']');
      const host = close < 0 ? inner : inner.slice(0, close);
      const after = close < 0 ? '' : inner.slice(close + 1);
      if (after !== '' && !after.startsWith(':')) return null;
      if (!isValidBracketedHost(host)) return null;
    }
  }
  if (!/^[\x00-\x7f]*$/.test(netloc)) {
    const n = netloc.replace(/[@:#?]/g, '');
    const normalized = n.normalize('NFKC');
    if (n !== normalized && /[/?#@:]/.test(normalized)) return null;
  }
  let hostname: string;
  const open = hostAndPort.indexOf('[');
  if (open >= 0) {
    const inner = hostAndPort.slice(open + 1);
    const close = inner.indexOf(']');
    hostname = close < 0 ? inner : inner.slice(0, close);
  } else {
    const colonAt = hostAndPort.indexOf(':');
    hostname = colonAt < 0 ? hostAndPort : hostAndPort.slice(0, colonAt);
  }
  if (hostname === '') return null;
  const zone = hostname.indexOf('%');
  return zone < 0 ? hostname.toLowerCase() : hostname.slice(0, zone).toLowerCase() + hostname.slice(zone);
}

/** The top-level label `has_valid_domain` looks up: `hostname.split(".")[-1]`. */
export function topLevelLabel(hostname: string): string {
  return hostname.slice(hostname.lastIndexOf('.') + 1);
}

export function hasValidDomain(url: string, validDomains: ReadonlySet<string>): boolean {
  if (url.startsWith('https://ja.wikipedia.org/')) return false;
  const hostname = pythonUrlHostname(url);
  return hostname !== null && validDomains.has(topLevelLabel(hostname));
}
