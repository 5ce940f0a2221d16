#!/usr/bin/env python3
"""The script a fact-checker would write with the standard library, over the same source and quotations.

usage: difflib_baseline.py SOURCE QUOTES_TSV [PROVCHECK_JSON]

Words are lower-cased \\w+ runs; a quotation is split at its elision marks. Each segment is located with
SequenceMatcher.find_longest_match against the source's words, then compared with the stretch of source
around that anchor: every segment whole and in order is verbatim (one segment) or elided (several); at least
60% of the quotation's words matched is altered; less is not_found.

Two variants, as in BENCHMARKS.md:
  indexed    - the source is given to one SequenceMatcher once (set_seq2, default autojunk: words in more
               than 1% of positions are pruned) and each quotation is set with set_seq1;
  per-quote  - a new SequenceMatcher over the whole source for every quotation (autojunk off).
Both run on an evenly spaced sample of the quotations when the full set would take too long; the sample
size is printed.
"""
import difflib
import json
import re
import resource
import sys
import time

WORD = re.compile(r"\w+")
MARK = re.compile(r"\s*(?:\(\.\.\.?\)|\[\.\.\.\]|\[…\]|\(…\)|…|\.\.\.)\s*")
SLACK = 10
MAX_SPAN = 80


def words(text):
    return WORD.findall(text.lower())


def classify(segments, src, finder):
    total = sum(len(s) for s in segments)
    if total == 0:
        return "not_found"
    matched = 0
    whole = True
    last_end = None
    in_order = True
    for seg in segments:
        if not seg:
            continue
        i, j, k = finder(seg)
        if k == 0:
            whole = False
            continue
        start = max(0, j - i - SLACK)
        window = src[start:j - i + len(seg) + SLACK]
        blocks = difflib.SequenceMatcher(None, seg, window, autojunk=False).get_matching_blocks()
        got = sum(b.size for b in blocks)
        matched += got
        seg_whole = any(b.size == len(seg) for b in blocks)
        whole = whole and seg_whole
        begin = start + next((b.b for b in blocks if b.size > 0), 0)
        if last_end is not None and (begin < last_end or begin - last_end > MAX_SPAN):
            in_order = False
        last_end = begin + len(seg)
    if whole and in_order:
        return "verbatim" if len(segments) == 1 else "elided"
    if matched / total >= 0.6:
        return "altered"
    return "not_found"


def run(name, rows, src, make_finder, budget_s):
    # Time a few quotations first to size the sample to the budget.
    finder = make_finder()
    step = max(1, len(rows) // 5000)
    probe = rows[::step][:20]
    t = time.perf_counter()
    for _, _, q in probe:
        classify([words(s) for s in MARK.split(q)], src, finder)
    per = (time.perf_counter() - t) / max(1, len(probe))
    count = min(len(rows), max(20, int(budget_s / max(per, 1e-9))))
    step = max(1, len(rows) // count)
    sample = rows[::step][:count]
    right = 0
    coarse_right = 0
    coarse = {"verbatim": "found", "elided": "found"}
    t = time.perf_counter()
    for _, expected, q in sample:
        verdict = classify([words(s) for s in MARK.split(q)], src, finder)
        right += verdict == expected
        coarse_right += coarse.get(verdict, verdict) == coarse.get(expected, expected)
    elapsed = time.perf_counter() - t
    qps = len(sample) / elapsed
    note = "all quotations" if len(sample) == len(rows) else f"a sample of {len(sample)} of {len(rows)} (too slow for all)"
    print(f"  difflib {name:9s} {qps:10.1f} quotations/s  accuracy {right / len(sample):.4f} exact verdict "
          f"({coarse_right / len(sample):.4f} found/altered/absent)  on {note}")
    return qps, right / len(sample)


def main():
    source_path, quotes_path = sys.argv[1], sys.argv[2]
    with open(source_path, encoding="utf-8") as f:
        src = words(f.read())
    rows = []
    with open(quotes_path, encoding="utf-8") as f:
        for line in f:
            kind, expected, quote = line.rstrip("\n").split("\t", 2)
            rows.append((kind, expected, quote))

    t = time.perf_counter()
    indexed = difflib.SequenceMatcher(None, autojunk=True)
    indexed.set_seq2(src)
    index_s = time.perf_counter() - t

    def indexed_finder():
        def find(seg):
            indexed.set_seq1(seg)
            return indexed.find_longest_match(0, len(seg), 0, len(src))
        return find

    def per_quote_finder():
        def find(seg):
            sm = difflib.SequenceMatcher(None, seg, src, autojunk=False)
            return sm.find_longest_match(0, len(seg), 0, len(src))
        return find

    print(f"  source indexed by difflib in {index_s * 1000:.0f} ms")
    qps_indexed, acc_indexed = run("indexed", rows, src, indexed_finder, budget_s=20)
    qps_per_quote, acc_per_quote = run("per-quote", rows, src, per_quote_finder, budget_s=10)
    print(f"  peak RSS of the Python process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            ours = json.load(f)
        print(f"  provcheck / difflib indexed:   {ours['quotes_per_s'] / qps_indexed:8.1f} x the speed, "
              f"accuracy {ours['accuracy']:.4f} vs {acc_indexed:.4f}")
        print(f"  provcheck / difflib per-quote: {ours['quotes_per_s'] / qps_per_quote:8.1f} x the speed, "
              f"accuracy {ours['accuracy']:.4f} vs {acc_per_quote:.4f}")


if __name__ == "__main__":
    main()
