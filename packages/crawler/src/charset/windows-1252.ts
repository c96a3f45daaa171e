/**
 * windows-1252 done by hand. Node 20.18.3+ (and 22.13+) decode the `windows-1252` label — and with it
 * `iso-8859-1`, `latin1`, `ascii`, which WHATWG maps to windows-1252 — through a Latin-1 fast path, so
 * 0x80–0x9F come out as C1 controls instead of € ‚ „ … ‘ ’ “ ” – — ™ (nodejs/node#60888, #56542).
 * Those are exactly the bytes that tell Western text apart, so the WHATWG table is applied here.
 */

/** WHATWG index-single-byte for windows-1252, bytes 0x80–0x9F; the rest is Latin-1. */
const HIGH_CONTROLS_TO_WINDOWS_1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
].map((cp) => String.fromCharCode(cp));

const FIRST_C1 = 0x80;
const C1_CONTROLS = /[\u0080-\u009f]/g;

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  C1_CONTROLS.lastIndex = 0;
  return latin1.replace(C1_CONTROLS, (c) => HIGH_CONTROLS_TO_WINDOWS_1252[c.charCodeAt(0) - FIRST_C1]!);
}
