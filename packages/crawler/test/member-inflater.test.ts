import { randomBytes } from 'node:crypto';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MemberInflater } from '../src/warc/member-inflater.ts';

// MemberInflater drives Node's zlib handle through members that are not a documented API: these tests
// are also the check that this Node release still has them (a change throws ZlibInternalsChanged here).
describe('MemberInflater', () => {
  const text = Buffer.from('WARC/1.1\r\nWARC-Type: response\r\n\r\n' + 'ページの本文 '.repeat(3000));
  const trailer = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);

  it('inflates one deflate stream and says how many compressed bytes it used, leaving what follows', () => {
    const inflater = new MemberInflater();
    const deflated = deflateRawSync(text);
    const prefix = Buffer.from('header');
    const outcome = inflater.inflate(Buffer.concat([prefix, deflated, trailer]), prefix.length, 1 << 20);
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.consumed).toBe(deflated.length);
    expect(outcome.output.equals(text)).toBe(true);
    inflater.close();
  });

  it('reuses its state across streams, and the output of one stream stays intact after the next', () => {
    const inflater = new MemberInflater();
    const inputs = [text, Buffer.from('short'), randomBytes(700_000), Buffer.alloc(0), text.subarray(0, 1000)];
    const outputs = inputs.map((input) => {
      const outcome = inflater.inflate(Buffer.concat([deflateRawSync(input), trailer]), 0, 1 << 20);
      if (outcome.kind !== 'done') throw new Error(`expected done, got ${outcome.kind}`);
      return outcome.output;
    });
    // The 700 KB one is larger than the initial output buffer, so the buffer grew in between.
    outputs.forEach((output, i) => expect(output.equals(inputs[i]!)).toBe(true));
    inflater.close();
  });

  it('asks for more input when the stream or its trailer is cut, then inflates the whole stream', () => {
    const inflater = new MemberInflater();
    const deflated = deflateRawSync(text);
    expect(inflater.inflate(deflated.subarray(0, deflated.length >> 1), 0, 1 << 20).kind).toBe('need-more');
    // The stream ends exactly where the input does: the trailer is still missing.
    expect(inflater.inflate(deflated, 0, 1 << 20).kind).toBe('need-more');
    const outcome = inflater.inflate(Buffer.concat([deflated, trailer]), 0, 1 << 20);
    expect(outcome.kind === 'done' && outcome.output.equals(text)).toBe(true);
    inflater.close();
  });

  it('reports zlib errors with their message and inflates the next stream normally', () => {
    const inflater = new MemberInflater();
    // BTYPE 11 is reserved in RFC 1951: zlib rejects the first block.
    const bad = inflater.inflate(Buffer.from([0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]), 0, 1 << 20);
    expect(bad).toEqual({ kind: 'error', message: 'invalid block type' });
    const good = inflater.inflate(Buffer.concat([deflateRawSync(text), trailer]), 0, 1 << 20);
    expect(good.kind === 'done' && good.output.equals(text)).toBe(true);
    inflater.close();
  });

  it('stops at the output limit instead of inflating a bomb', () => {
    const inflater = new MemberInflater();
    const zeros = deflateRawSync(Buffer.alloc(5_000_000));
    expect(inflater.inflate(Buffer.concat([zeros, trailer]), 0, 1_000_000)).toEqual({ kind: 'too-large' });
    // Exactly at the limit is allowed.
    const exact = inflater.inflate(Buffer.concat([deflateRawSync(Buffer.alloc(1000, 1)), trailer]), 0, 1000);
    expect(exact.kind === 'done' && exact.output.length).toBe(1000);
    inflater.close();
  });
});

// libdeflate decodes whole members where it is installed (scripts/setup.sh installs it); zlib takes what it leaves.
describe('MemberInflater.gunzipWhole (libdeflate)', () => {
  const text = Buffer.from('WARC/1.1\r\nWARC-Type: response\r\n\r\n' + '本文の段落です。'.repeat(40_000));
  const member = gzipSync(text);
  const next = gzipSync(Buffer.from('the next member'));

  it('is the engine on this machine, as the project sets it up', () => {
    const inflater = new MemberInflater();
    expect(inflater.engine).toMatch(/^libdeflate/);
    inflater.close();
  });

  it('decodes a whole member with its trailer and leaves the next one, growing its buffer past the first size', () => {
    const inflater = new MemberInflater('reused');
    // 960 KB of text: four times the initial output buffer, so libdeflate is retried into larger ones.
    const whole = inflater.gunzipWhole(Buffer.concat([member, next]), 64 << 20);
    expect(whole?.consumed).toBe(member.length);
    expect(whole?.output.equals(text)).toBe(true);
    inflater.close();
  });

  it('leaves to zlib a member cut short, one with a wrong CRC, and one past the output limit', () => {
    const inflater = new MemberInflater();
    expect(inflater.gunzipWhole(member.subarray(0, member.length - 1), 64 << 20)).toBeNull();
    const badCrc = Buffer.from(member);
    badCrc[badCrc.length - 8]! ^= 0xff;
    expect(inflater.gunzipWhole(badCrc, 64 << 20)).toBeNull();
    expect(inflater.gunzipWhole(member, text.length - 1)).toBeNull();
    // Exactly at the limit is allowed, as in zlib's path.
    expect(inflater.gunzipWhole(member, text.length)?.output.length).toBe(text.length);
    inflater.close();
  });

  it('is off under JCP_INFLATE=zlib', () => {
    process.env.JCP_INFLATE = 'zlib';
    try {
      const inflater = new MemberInflater();
      expect(inflater.engine).toBe('zlib');
      expect(inflater.gunzipWhole(member, 64 << 20)).toBeNull();
      inflater.close();
    } finally {
      delete process.env.JCP_INFLATE;
    }
  });
});
