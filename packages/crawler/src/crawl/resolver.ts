import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './address-policy.ts';

/** All addresses of a host name, in the resolver's order (`dns.lookup` with `all: true` by default). */
export type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemLookupAll: LookupAll = (hostname) => dnsLookup(hostname, { all: true, order: 'verbatim' });

/** The one address a host name is pinned to for the crawl. */
export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

/** Why a host cannot be connected to. */
export interface AddressRefusal {
  reason: 'forbidden-address' | 'dns-error';
  detail: string;
}

/** Error code carried by a connect attempt the resolver refused (so the fetcher can name the reason). */
export const REFUSED_CODE = 'EJCP_REFUSED_ADDRESS';

export class RefusedAddressError extends Error {
  readonly code = REFUSED_CODE;
  constructor(readonly refusal: AddressRefusal) {
    super(`${refusal.reason}: ${refusal.detail}`);
    this.name = 'RefusedAddressError';
  }
}

/**
 * Resolves each host name once, refuses special addresses (unless allowed) and pins the name to the first
 * allowed address for the rest of the crawl. The connect path asks this same object (`connectLookup`), so
 * the address checked is the address connected to: a DNS answer that changes between check and connect
 * (rebinding) is never seen. One address per host also keeps WARC-IP-Address truthful and the load on one
 * machine. Answers are kept for the crawl's lifetime, TTLs notwithstanding: a URL list is finite, and
 * re-resolving would only reopen the rebinding window.
 */
export class PinningResolver {
  private readonly cache = new Map<string, Promise<PinnedAddress | AddressRefusal>>();

  constructor(
    private readonly allowPrivateAddresses: boolean,
    private readonly lookupAll: LookupAll = systemLookupAll,
  ) {}

  /** A refusal when this literal address may not be used, else null. */
  checkAddress(address: string, hostname?: string): AddressRefusal | null {
    const kind = classifyAddress(address);
    if (kind === null || this.allowPrivateAddresses) return null;
    const detail = hostname ? `${hostname} resolves to ${address}, a ${kind} address` : `${address} is a ${kind} address`;
    return { reason: 'forbidden-address', detail };
  }

  /** The pinned address of a URL host name (`[v6]` literals allowed), or why there is none. */
  resolve(hostname: string): Promise<PinnedAddress | AddressRefusal> {
    const name = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    let entry = this.cache.get(name);
    if (!entry) {
      entry = this.resolveUncached(name);
      this.cache.set(name, entry);
    }
    return entry;
  }

  private async resolveUncached(name: string): Promise<PinnedAddress | AddressRefusal> {
    const literal = isIP(name);
    if (literal) return this.checkAddress(name) ?? { address: name, family: literal === 6 ? 6 : 4 };
    let answers: Array<{ address: string; family: number }>;
    try {
      answers = await this.lookupAll(name);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'lookup failed';
      return { reason: 'dns-error', detail: `${name}: ${code}` };
    }
    if (answers.length === 0) return { reason: 'dns-error', detail: `${name}: no address` };
    let firstRefusal: AddressRefusal | null = null;
    for (const a of answers) {
      const refusal = this.checkAddress(a.address, name);
      if (!refusal) return { address: a.address, family: a.family === 6 ? 6 : 4 };
      firstRefusal ??= refusal;
    }
    return firstRefusal ?? { reason: 'dns-error', detail: `${name}: no address` };
  }

  /** A `lookup` for `net.connect`/`tls.connect` that answers with the pinned address only. */
  readonly connectLookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (r) => {
        if ('reason' in r) {
          callback(new RefusedAddressError(r), '', 0);
          return;
        }
        if (options.all) callback(null, [{ address: r.address, family: r.family }]);
        else callback(null, r.address, r.family);
      },
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), '', 0),
    );
  };
}
