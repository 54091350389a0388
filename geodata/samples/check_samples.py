#!/usr/bin/python3
"""Check partnermap's sample datasets against the tie format and the research notes.

Standard library only. Usage:

    /usr/bin/python3 geodata/samples/check_samples.py [--shared DIR]

DIR is the folder holding the research notes (README.md and the CSVs). By default it is
$PARTNERMAP_SHARED_DATA, else <repo>/../shared/data, else /work/shared/data.

For every dataset it checks: UTF-8 without BOM; the tie-format header (the 12 base columns
in order, then the dataset's attribute columns); confidence is exactly 'documented' or
'probable'; every tie has a source_url and a source_quote; every source_url is one of the
research CSV's source_url values (or the shared seed reference); each tie maps to exactly
one research row (nothing added, nothing dropped) and keeps that row's confidence, quote
and year; row and confidence counts match the notes; country codes, weights and years are
well formed; the dataset README lists every source_url. For the cities it also checks
places.csv (every city present once, coordinates with 3 decimals, Wikipedia coord_source).

Prints one line per check and closes with 'N passed, N failed'; exits 1 if any failed.
"""
import argparse
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

BASE = ["from", "to", "from_country", "to_country", "weight", "start", "end", "type",
        "confidence", "source_url", "source_quote", "notes"]
CONFIDENCE = {"documented", "probable"}
SEED_REF = "seed: Rossotrudnichestvo history article, 2025"
KZ_STUDY = "https://discovery.researcher.life/article/-/f206431ece4539a98f03e7d40a3007a4"
KZ_PARTNERS = {"Kostanay Region", "Akmola Region", "North Kazakhstan Region", "Astana", "Almaty"}

# dataset folder -> research file, attribute columns required after the base ones,
# expected row count and (documented, probable) counts (None = derived from the notes).
DATASETS = {
    "ussr-czechoslovakia-regions": {
        "notes": "ussr_czechoslovakia_regions.csv",
        "attrs": ["area", "from_alt_name", "to_alt_name"],
        "rows": 6, "conf": (1, 5),
    },
    "ussr-czechoslovakia-cities": {
        "notes": "ussr_czechoslovakia_cities.csv",
        "attrs": ["from_region", "to_region", "area", "from_alt_name", "to_alt_name"],
        "rows": 14, "conf": (11, 3),
    },
    "sverdlovsk-kazakhstan": {
        "notes": "sverdlovsk_kazakhstan.csv",
        "attrs": ["area", "period_documented", "agreements", "agreement_source_urls", "to_alt_name"],
        "rows": 5, "conf": (5, 0),
    },
    "friendship-societies": {
        "notes": "friendship_societies.csv",
        "attrs": ["society_name", "notable_head", "members_or_count", "side"],
        "rows": None, "conf": None,  # = number of country rows in the notes
    },
}


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, label, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {label}")
        else:
            self.failed += 1
            print(f"FAIL {label}" + (f": {detail}" if detail else ""))
        return ok


def strip_paren(s):
    return re.sub(r"\s*\([^)]*\)", "", s).strip()


def norm_conf(c):
    c = c.strip()
    return "documented" if c == "documented (seed)" else c


def load_csv(path):
    """Return (header, rows, raw_bytes)."""
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")  # raises on invalid UTF-8
    reader = csv.reader(io.StringIO(text, newline=""))
    table = list(reader)
    header, body = table[0], table[1:]
    rows = [dict(zip(header, r)) for r in body]
    widths = {len(r) for r in body}
    return header, rows, raw, widths


def year_ok(v):
    return v == "" or re.fullmatch(r"\d{4}", v) is not None


# ------------------------------------------------------------------ per-dataset keys
def key_notes(name, r):
    if name == "ussr-czechoslovakia-regions":
        return (r["source_url"], r["cs_region_local"])
    if name == "ussr-czechoslovakia-cities":
        return (r["source_url"], r["cs_city_local"])
    if name == "sverdlovsk-kazakhstan":
        return (r["source_url"], strip_paren(r["partner"]))
    return (r["source_url"], r["society_name"])


def key_tie(name, t):
    if name == "friendship-societies":
        return (t["source_url"], t["society_name"])
    if name == "sverdlovsk-kazakhstan":  # "Almaty city" tells the city from Almaty Region
        return (t["source_url"], t["to"].removesuffix(" city"))
    return (t["source_url"], t["to"])


def notes_in_scope(name, rows):
    if name == "sverdlovsk-kazakhstan":  # the 5 key partners named by the 2015-2020 study
        return [r for r in rows if r["source_url"] == KZ_STUDY]
    return rows


def check_dataset(ck, name, spec, shared):
    folder = os.path.join(HERE, name)
    path = os.path.join(folder, "ties.csv")
    p = f"{name}:"
    if not ck.check(os.path.isfile(path), f"{p} ties.csv exists"):
        return
    header, ties, raw, widths = load_csv(path)
    ck.check(not raw.startswith(b"\xef\xbb\xbf"), f"{p} no UTF-8 BOM")
    ck.check(widths == {len(header)}, f"{p} every row has {len(header)} fields", str(widths))
    ck.check(header[:len(BASE)] == BASE, f"{p} base columns in order", str(header[:len(BASE)]))
    missing = [a for a in spec["attrs"] if a not in header[len(BASE):]]
    ck.check(not missing, f"{p} attribute columns present", f"missing {missing}")
    if missing or header[:len(BASE)] != BASE:
        return

    _, notes_rows, _, _ = load_csv(os.path.join(shared, spec["notes"]))
    urls = {r["source_url"] for r in notes_rows}
    scope = notes_in_scope(name, notes_rows)
    want_rows = spec["rows"] if spec["rows"] is not None else len(notes_rows)
    ck.check(len(ties) == want_rows, f"{p} {want_rows} ties", f"found {len(ties)}")
    ck.check(len(scope) == len(ties), f"{p} one tie per research row in scope",
             f"{len(scope)} research rows, {len(ties)} ties")

    bad = [t["confidence"] for t in ties if t["confidence"] not in CONFIDENCE]
    ck.check(not bad, f"{p} confidence is documented|probable", str(bad))
    counts = (sum(t["confidence"] == "documented" for t in ties),
              sum(t["confidence"] == "probable" for t in ties))
    want_conf = spec["conf"] or (sum(norm_conf(r["confidence"]) == "documented" for r in scope),
                                 sum(norm_conf(r["confidence"]) == "probable" for r in scope))
    ck.check(counts == want_conf, f"{p} documented/probable = {want_conf[0]}/{want_conf[1]}", str(counts))

    ck.check(all(t["source_url"].strip() for t in ties), f"{p} every tie has a source_url")
    ck.check(all(t["source_quote"].strip() for t in ties), f"{p} every tie has a source_quote")
    unknown = [t["source_url"] for t in ties if t["source_url"] not in urls and t["source_url"] != SEED_REF]
    ck.check(not unknown, f"{p} every source_url is in {spec['notes']} or the seed reference", str(unknown))
    seed_no_note = [t["from"] for t in ties if t["source_url"] == SEED_REF and "seed" not in t["notes"]]
    ck.check(not seed_no_note, f"{p} seed ties say so in notes", str(seed_no_note))

    for col in ("from", "to", "type"):
        ck.check(all(t[col].strip() for t in ties), f"{p} '{col}' never empty")
    cc_bad = [(t["from_country"], t["to_country"]) for t in ties
              if not (re.fullmatch(r"[A-Z]{2}", t["from_country"]) and re.fullmatch(r"[A-Z]{2}", t["to_country"]))]
    ck.check(not cc_bad, f"{p} country codes are 2 capital letters", str(cc_bad))
    w_bad = [t["weight"] for t in ties if not re.fullmatch(r"[1-9]\d*", t["weight"])]
    ck.check(not w_bad, f"{p} weights are positive integers", str(w_bad))
    y_bad = [(t["start"], t["end"]) for t in ties
             if not (year_ok(t["start"]) and year_ok(t["end"]))
             or (t["start"] and t["end"] and int(t["start"]) > int(t["end"]))]
    ck.check(not y_bad, f"{p} start/end are years or empty, start <= end", str(y_bad))

    # each tie <-> exactly one research row; keeps its confidence and quote
    by_key = {}
    for r in scope:
        by_key.setdefault(key_notes(name, r), []).append(r)
    dup_notes = [k for k, v in by_key.items() if len(v) > 1]
    ck.check(not dup_notes, f"{p} research rows are uniquely keyed", str(dup_notes))
    seen, unmatched, mismatch = set(), [], []
    for t in ties:
        k = key_tie(name, t)
        if k not in by_key:
            unmatched.append(k)
            continue
        if k in seen:
            unmatched.append(("duplicate",) + k)
        seen.add(k)
        r = by_key[k][0]
        if t["confidence"] != norm_conf(r["confidence"]):
            mismatch.append((k, "confidence"))
        if t["source_quote"] != r["source_quote"]:
            mismatch.append((k, "source_quote"))
        mismatch += [(k, m) for m in dataset_row_checks(name, t, r, urls)]
    ck.check(not unmatched, f"{p} every tie traces to a research row (no tie without a source)", str(unmatched))
    ck.check(set(by_key) <= seen, f"{p} no research row in scope dropped", str(set(by_key) - seen))
    ck.check(not mismatch, f"{p} ties keep the notes' confidence, quote, names and years", str(mismatch))

    dataset_checks(ck, name, ties, folder)

    readme = os.path.join(folder, "README.md")
    if ck.check(os.path.isfile(readme), f"{p} README.md exists"):
        text = open(readme, encoding="utf-8").read()
        absent = sorted({t["source_url"] for t in ties if t["source_url"] not in text})
        ck.check(not absent, f"{p} README lists every source_url", str(absent))


def dataset_row_checks(name, t, r, urls):
    """Field-level agreement between one tie and its research row; returns problems."""
    out = []
    if name == "ussr-czechoslovakia-regions":
        if t["from"] != strip_paren(r["soviet_region"]):
            out.append("from")
        if t["start"] != r["year_established"]:
            out.append("start")
    elif name == "ussr-czechoslovakia-cities":
        if t["from"] != strip_paren(r["soviet_city"]):
            out.append("from")
        if t["start"] != r["year_established"]:
            out.append("start")
        if t["from_region"] != strip_paren(r["soviet_region"]):
            out.append("from_region")
        if t["to_region"] != strip_paren(r["cs_region_1960_1990"]):
            out.append("to_region")
    elif name == "sverdlovsk-kazakhstan":
        agr = t["agreement_source_urls"].split()
        if any(u not in urls for u in agr):
            out.append("agreement_source_urls not in notes")
        if int(t["weight"]) > 1 + len(agr):
            out.append("weight exceeds 1 + documented agreements")
        if bool(t["agreements"]) != bool(agr):
            out.append("agreements and agreement_source_urls disagree")
        if t["period_documented"] != r["year"]:
            out.append("period_documented")
        # start: first year of the study window, or (with a documented agreement) the
        # agreement's year, which check_kz_starts verifies against the notes
        if t["start"] != r["year"].split("-")[0] and not agr:
            out.append("start")
    elif name == "friendship-societies":
        if t["from"] != r["country"]:
            out.append("from")
        if t["start"] != r["year_founded"]:
            out.append("start")
        for col in ("notable_head", "members_or_count", "side"):
            if t[col] != r[col]:
                out.append(col)
    return out


def dataset_checks(ck, name, ties, folder):
    p = f"{name}:"
    if name == "ussr-czechoslovakia-regions":
        ck.check(all(t["from_country"] in {"RU", "UA"} for t in ties), f"{p} Soviet units coded RU/UA")
        ck.check(all(t["to_country"] == "CS" for t in ties), f"{p} kraje coded CS")
        ck.check(all(t["to"].endswith(" kraj") for t in ties), f"{p} 'to' names a 1960-1990 kraj")
    elif name == "ussr-czechoslovakia-cities":
        ck.check(all(t["to_country"] == "CS" for t in ties), f"{p} Czechoslovak cities coded CS")
        ck.check(all(t["from_country"] in {"RU", "UA", "BY"} for t in ties), f"{p} Soviet cities coded RU/UA/BY")
        check_places(ck, ties, folder)
    elif name == "sverdlovsk-kazakhstan":
        ck.check({t["to"].removesuffix(" city") for t in ties} == KZ_PARTNERS, f"{p} the 5 key partners, once each",
                 str(sorted(t["to"] for t in ties)))
        ck.check(all(t["from"] == "Sverdlovsk Oblast" and t["from_country"] == "RU" and t["to_country"] == "KZ"
                     for t in ties), f"{p} Sverdlovsk Oblast (RU) -> KZ units")
    elif name == "friendship-societies":
        ck.check(all(t["to"] == "USSR" and t["to_country"] == "SU" for t in ties), f"{p} every tie -> USSR (SU)")
        hist = {t["from"]: t["from_country"] for t in ties
                if t["from"] in ("Yugoslavia", "Czechoslovakia", "German Democratic Republic")}
        ck.check(hist == {"Yugoslavia": "YU", "Czechoslovakia": "CS", "German Democratic Republic": "DD"},
                 f"{p} historical countries keep their codes", str(hist))


def check_places(ck, ties, folder):
    p = "ussr-czechoslovakia-cities: places.csv"
    path = os.path.join(folder, "places.csv")
    if not ck.check(os.path.isfile(path), f"{p} exists"):
        return
    header, places, raw, widths = load_csv(path)
    ck.check(not raw.startswith(b"\xef\xbb\xbf"), f"{p} no UTF-8 BOM")
    ck.check(header == ["name", "lon", "lat", "region", "country", "coord_source"], f"{p} columns", str(header))
    names = [r["name"] for r in places]
    ck.check(len(names) == len(set(names)), f"{p} names unique")
    idx = {r["name"]: r for r in places}
    need = {}
    for t in ties:
        need[t["from"]] = (t["from_region"], t["from_country"])
        need[t["to"]] = (t["to_region"], t["to_country"])
    ck.check(set(need) == set(idx), f"{p} exactly the cities of ties.csv", str(set(need) ^ set(idx)))
    wrong = [n for n, (reg, cc) in need.items() if n in idx and (idx[n]["region"], idx[n]["country"]) != (reg, cc)]
    ck.check(not wrong, f"{p} region/country agree with ties.csv", str(wrong))
    fmt = [r["name"] for r in places
           if not (re.fullmatch(r"-?\d+\.\d{3}", r["lon"]) and re.fullmatch(r"-?\d+\.\d{3}", r["lat"]))]
    ck.check(not fmt, f"{p} lon/lat decimal degrees with 3 decimals", str(fmt))
    # the whole dataset lies between Bohemia and the Urals
    box = [r["name"] for r in places if r["name"] not in fmt
           and not (12.0 <= float(r["lon"]) <= 61.0 and 47.0 <= float(r["lat"]) <= 58.5)]
    ck.check(not box, f"{p} coordinates fall between Bohemia and the Urals (lon/lat not swapped)", str(box))
    src = [r["name"] for r in places if not r["coord_source"].startswith("https://en.wikipedia.org/wiki/")]
    ck.check(not src, f"{p} coord_source is an English Wikipedia article", str(src))


def check_kz_starts(ck, shared):
    """Sverdlovsk: a start before the study window must be the year of a documented agreement."""
    p = "sverdlovsk-kazakhstan:"
    path = os.path.join(HERE, "sverdlovsk-kazakhstan", "ties.csv")
    if not os.path.isfile(path):
        return
    _, ties, _, _ = load_csv(path)
    _, notes, _, _ = load_csv(os.path.join(shared, "sverdlovsk_kazakhstan.csv"))
    bad = []
    for t in ties:
        if t["start"] in ("", "2015"):
            continue
        years = {r["year"] for r in notes
                 if r["source_url"] in t["agreement_source_urls"].split() and strip_paren(r["partner"]) == t["to"].removesuffix(" city")}
        if t["start"] not in years:
            bad.append((t["to"], t["start"]))
    ck.check(not bad, f"{p} starts before 2015 come from a documented agreement with that partner", str(bad))


def find_shared(arg):
    for cand in (arg, os.environ.get("PARTNERMAP_SHARED_DATA"),
                 os.path.join(REPO, "..", "shared", "data"), "/work/shared/data"):
        if cand and os.path.isfile(os.path.join(cand, "ussr_czechoslovakia_regions.csv")):
            return os.path.abspath(cand)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", help="folder with the research notes CSVs")
    args = ap.parse_args()
    shared = find_shared(args.shared)
    if shared is None:
        print("error: research notes not found (use --shared DIR or PARTNERMAP_SHARED_DATA)", file=sys.stderr)
        return 2
    print(f"research notes: {shared}")
    ck = Checker()
    for name, spec in DATASETS.items():
        check_dataset(ck, name, spec, shared)
    check_kz_starts(ck, shared)
    ck.check(os.path.isfile(os.path.join(HERE, "README.md")), "samples/README.md exists")
    print(f"{ck.passed} passed, {ck.failed} failed")
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
