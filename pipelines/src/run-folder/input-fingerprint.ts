import { fingerprintChange, fingerprintFile, type FileFingerprint, type FingerprintMode } from '@jcp/core';
import { isHttpUrl, resourceChange, resourceVersion, type HttpFetchConfig, type ResourceVersion } from '@jcp/crawler';

/**
 * What a task read from outside the run, as its `.done` marker records it: a local file by size, mtime
 * and content digest, a URL by what its server says of its version (ETag, length, Last-Modified).
 */
export type InputFingerprint = FileFingerprint | ResourceVersion;

export async function fingerprintInput(input: string, mode: FingerprintMode, http: HttpFetchConfig): Promise<InputFingerprint> {
  return isHttpUrl(input) ? resourceVersion(input, http) : fingerprintFile(input, mode);
}

/** Why the input no longer is what the fingerprint recorded, or null if it still is. */
export async function inputChange(recorded: InputFingerprint, mode: FingerprintMode, http: HttpFetchConfig): Promise<string | null> {
  if ('path' in recorded) return fingerprintChange(recorded, mode);
  const now = await resourceVersion(recorded.url, http).catch((e: unknown) => e as Error);
  return now instanceof Error ? `its server cannot say (${now.message})` : resourceChange(recorded, now);
}

/** The path or URL an input fingerprint is about. */
export function inputName(fp: InputFingerprint): string {
  return 'path' in fp ? fp.path : fp.url;
}
