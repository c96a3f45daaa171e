import { describe, expect, it } from 'vitest';
import { docRef, RemovalList, type Removal } from '../src/index.ts';

const hexId = (n: number): string => n.toString(16).padStart(32, '0');

describe('RemovalList', () => {
  it('gives back every removal as pushed, past its initial capacity, and orders them by ref', () => {
    const list = new RemovalList();
    const pushed: Removal[] = [];
    for (let i = 0; i < 3000; i++) {
      const r: Removal = {
        ref: docRef(2 - (i % 3), 3000 - i),
        id: hexId(0xabcdef00 + i),
        survivorRef: docRef(7, i),
        duplicateOf: hexId(0xfedcba + i * 7919),
        reason: i % 2 ? 'near-duplicate' : `exact-duplicate-of-earlier-ja_wiki`,
        similarity: i % 2 ? 0.8 + i / 1e5 : 1,
      };
      list.push(r);
      pushed.push(r);
    }
    expect(list.length).toBe(3000);
    expect(list.toArray()).toEqual(pushed);
    expect(list.get(1234)).toEqual(pushed[1234]);
    const refs = [...list.byRef()].map((i) => list.get(i).ref);
    expect(refs).toEqual(pushed.map((r) => r.ref).sort((a, b) => a - b));
  });

  it('refuses an id that is not 32 hex digits, naming it', () => {
    const list = new RemovalList();
    expect(() => list.push({ ref: 0, id: 'XYZ', survivorRef: 1, duplicateOf: hexId(1), reason: 'near-duplicate', similarity: 0.9 })).toThrow('doc id "XYZ" is not 32 hex characters');
  });
});
