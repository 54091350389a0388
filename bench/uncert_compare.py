#!/usr/bin/python3
"""Do partnermap's source-uncertainty quantiles agree with the peer's within Monte Carlo error?

    /usr/bin/python3 bench/uncert_compare.py OURS.pmu OURS.csv PEER.csv

OURS.pmu: a `stats --uncertainty N --shard 1/1` file (every replicate's values, docs/formats.md);
OURS.csv: the same run's `--format csv` report (for the places' order and names);
PEER.csv: ../shared/bench/peers/py_montecarlo.py's output (place, metric, mean, q025, q975, ...).

Both runs draw N replicates of the same model from different random streams, so their quantiles
differ by Monte Carlo error. The check is made in probability space: the peer's 2.5 % (97.5 %)
quantile x must sit where our replicates' distribution function is 0.025 (0.975), within
Z = 3 standard errors of the difference of two independent estimates, sqrt(2 p (1 - p) / N)
(a peer quantile scaled by 1.1 fails; at 4 standard errors the 97.5 % end could not tell it);
atoms are allowed for (a value shared by many replicates, such as betweenness 0, passes when
F(x-) - tol <= p <= F(x) + tol). Prints the share that pass per metric and exits 1 when any
metric's share is below 99 % (3078 checks per metric: about 8 fail by chance at 3 standard
errors). The worst disagreement of each metric is printed.
"""
import bisect, csv, struct, sys
from math import sqrt

Z = 3.0


def read_shard(path):
    data = open(path, "rb").read()
    head, _, body = data.partition(b"\n\n")
    h = {}
    for line in head.decode().splitlines()[1:]:
        k, _, v = line.partition(" ")
        h[k] = v
    n, metrics, net = int(h["places"]), h["metrics"].split(), int(h["network"])
    stride = len(metrics) * n + net
    rec = 4 + 8 * stride
    records = int(h["records"])
    assert len(body) == records * rec, "shard cut short"
    vals = {}
    for r in range(records):
        idx, = struct.unpack_from("<I", body, r * rec)
        vals[idx] = struct.unpack_from(f"<{stride}d", body, r * rec + 4)
    return n, metrics, [vals[i] for i in sorted(vals)]


def main():
    pmu, ours_csv, peer_csv = sys.argv[1:4]
    n, metrics, reps = read_shard(pmu)
    names = []
    for row in csv.DictReader(open(ours_csv, encoding="utf-8")):
        if row["metric"] == metrics[0]:
            names.append(row["place"])
    assert len(names) == n
    pos = {p: i for i, p in enumerate(names)}
    N = len(reps)
    peer = list(csv.DictReader(open(peer_csv, encoding="utf-8")))
    stats = {m: [0, 0] for m in metrics}
    worst = {m: (0.0, "") for m in metrics}
    for row in peer:
        m = row["metric"]
        if m not in stats:
            continue
        j, i = metrics.index(m), pos[row["place"]]
        xs = sorted(r[j * n + i] for r in reps)
        for p, key in ((0.025, "q025"), (0.975, "q975")):
            x = float(row[key])
            # the peer prints 6 significant digits: compare within that rounding
            eps = abs(x) * 5e-6 + 1e-15
            lo = bisect.bisect_left(xs, x - eps) / N
            hi = bisect.bisect_right(xs, x + eps) / N
            tol = Z * sqrt(2 * p * (1 - p) / N)
            stats[m][0] += 1
            if lo - tol <= p <= hi + tol:
                stats[m][1] += 1
            else:
                gap = min(abs(p - lo), abs(p - hi))
                if gap > worst[m][0]:
                    worst[m] = (gap, f"{row['place']} {key}: peer {x:g}, our F in [{lo:.3f}, {hi:.3f}]")
    ok = True
    print(f"{N} replicates; peer quantiles inside our distribution within {Z:g} standard errors:")
    for m in metrics:
        tot, good = stats[m]
        share = good / tot if tot else float("nan")
        ok &= share >= 0.99
        line = f"  {m:12s} {good}/{tot} ({100 * share:.2f} %)"
        if worst[m][1]:
            line += f"; worst: {worst[m][1]}"
        print(line)
    sys.exit(0 if ok else 1)


main()
