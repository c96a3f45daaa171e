#!/usr/bin/env python3
"""The reference for our SentencePiece encoder: the sentencepiece Python package (Debian's
python3-sentencepiece), called as `sp.encode(text)` with its defaults (no BOS/EOS, no sampling).

Reads JSONL on stdin, one object with a "text" field per line.

  spm_reference.py MODEL encode [--ids]   one JSON line per input: {"count": n} (with --ids, also "ids")
  spm_reference.py MODEL bench REPEATS    one JSON line: the best of REPEATS timed passes over all texts;
                                          only the encode loop is timed (not reading or parsing)
"""
import json
import resource
import sys
import time

import sentencepiece as spm


def main() -> None:
    model, mode = sys.argv[1], sys.argv[2]
    sp = spm.SentencePieceProcessor(model_file=model)
    texts = [json.loads(line)["text"] for line in sys.stdin if line.strip()]
    out = sys.stdout
    if mode == "encode":
        with_ids = "--ids" in sys.argv[3:]
        for text in texts:
            ids = sp.encode(text)
            out.write(json.dumps({"count": len(ids), "ids": ids} if with_ids else {"count": len(ids)}))
            out.write("\n")
    elif mode == "bench":
        repeats = int(sys.argv[3])
        best = float("inf")
        tokens = 0
        for _ in range(repeats):
            t0 = time.perf_counter()
            n = 0
            for text in texts:
                n += len(sp.encode(text))
            best = min(best, time.perf_counter() - t0)
            tokens = n
        out.write(json.dumps({
            "version": spm.__version__,
            "texts": len(texts),
            "tokens": tokens,
            "seconds": best,
            # ru_maxrss is in KB on Linux.
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }))
        out.write("\n")
    else:
        sys.exit(f"unknown mode {mode!r}: expected encode or bench")


if __name__ == "__main__":
    main()
