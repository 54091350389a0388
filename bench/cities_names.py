#!/usr/bin/env python3
"""Writes a tie table of N city names (default 10,000) drawn from the embedded gazetteer's own
names, written as sources write them: the GeoNames name, its ASCII form, a Cyrillic or other
alternate (old names included), upper case, with a country column on every other row.
Deterministic: the same gazetteer gives the same table (a fixed stride, no randomness).

    bench/cities_names.py [N] > ties.csv
"""
import csv
import gzip
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GAZ = os.path.join(HERE, "..", "geodata", "cities.tsv.gz")


def rows():
    with gzip.open(GAZ, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("C\t"):
                break
        for line in f:
            if line.startswith("K\t"):
                return
            yield line.rstrip("\n").split("\t")


def spelled(f, k):
    """The k-th way of writing row f's name."""
    name, ascii_, alts = f[1], f[2] or f[1], [a for a in f[3].split(",") if a]
    cyr = [a for a in alts if any("\u0400" <= c <= "\u04ff" for c in a)]
    way = k % 5
    if way == 1:
        return ascii_
    if way == 2 and cyr:
        return cyr[0]
    if way == 3 and alts:
        return alts[len(alts) // 2]
    if way == 4:
        return name.upper()
    return name


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    big = [f for f in rows() if f[7] and int(f[7]) >= 1000]
    step = max(1, len(big) // n)
    names = []
    for i in range(n):
        f = big[(i * step) % len(big)]
        names.append((spelled(f, i), f[4] if i % 2 == 0 else ""))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["from", "to", "from_country", "to_country"])
    for i in range(0, n - 1, 2):
        w.writerow([names[i][0], names[i + 1][0], names[i][1], names[i + 1][1]])


if __name__ == "__main__":
    main()
