#!/usr/bin/env python3
"""Write Protocols/geography.csv: every county and county-equivalent of the 50 states and
the District of Columbia, plus Puerto Rico's 78 municipios, with 5-digit FIPS codes.

Source (public U.S. Census Bureau names and FIPS codes), copied unmodified into
Protocols/tools/data/ so that this script runs offline with the standard library only:

  data/addfips-0.4.2-counties_2020.csv  addfips 0.4.2 (PyPI), addfips/data/counties_2020.csv
  data/addfips-0.4.2-states.csv         addfips 0.4.2 (PyPI), addfips/data/states.csv

The addfips "2020" county list is the Census 2015 list plus Copper River Census Area, with
some alternate names for the same FIPS code. CORRECTIONS below bring it to the Census 2020
county list (3,143 county-equivalents in the 50 states and DC, 78 municipios in PR); each
correction is listed and checked, so a changed source file fails loudly.

Usage:  python3 Protocols/tools/make_geography.py          (writes Protocols/geography.csv)
        python3 Protocols/tools/make_geography.py --check  (fails if the file would change)
"""
import csv
import io
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = os.path.dirname(HERE)
COUNTIES_CSV = os.path.join(HERE, "data", "addfips-0.4.2-counties_2020.csv")
STATES_CSV = os.path.join(HERE, "data", "addfips-0.4.2-states.csv")
OUT = os.path.join(PROTOCOLS, "geography.csv")

# Territories other than Puerto Rico are out of scope.
EXCLUDED_STATE_FIPS = {"60", "66", "69", "74", "78"}

# FIPS codes that addfips lists under more than one name: the current Census name.
ALIASES = {
    "02158": "Kusilvak Census Area",      # formerly Wade Hampton Census Area (2015)
    "02195": "Petersburg Borough",        # formerly Petersburg Census Area (2013)
    "11001": "District of Columbia",      # alias "Washington"
    "36005": "Bronx County",              # alias "the Bronx Borough"
    "36047": "Kings County",              # alias "Brooklyn Borough"
    "36061": "New York County",           # alias "Manhattan Borough"
    "36085": "Richmond County",           # alias "Staten Island Borough"
    "46102": "Oglala Lakota County",      # formerly Shannon County (2015)
}

# Differences between the addfips list and the Census 2020 county list.
REMOVED = {
    "02261": "Valdez-Cordova Census Area",  # split into Chugach and Copper River, 2019
    "51515": "Bedford city",                # merged into Bedford County, VA, 2013
}
ADDED = {
    "02063": "Chugach Census Area",         # created 2019 from Valdez-Cordova
}
RENAMED = {  # addfips drops the accent of these three municipios; Census names keep it
    "72021": ("Bayamon Municipio", "Bayamón Municipio"),
    "72029": ("Canovanas Municipio", "Canóvanas Municipio"),
    "72117": ("Rincon Municipio", "Rincón Municipio"),
}

SUFFIXES = (" City and Borough", " Census Area", " County", " Parish", " Borough",
            " Municipality", " Municipio")

EXPECTED_STATES_AND_DC = 3143
EXPECTED_PR = 78


def fail(message):
    sys.stderr.write("make_geography.py: error: " + message + "\n")
    sys.exit(1)


def short_name(fips, census):
    """The county name as geography.csv spells it (no "County" suffix)."""
    if fips == "11001":
        return "District of Columbia"
    if census.endswith(" city"):              # independent city: "Baltimore city"
        return census[: -len(" city")] + " City"
    if census == "Carson City":               # Nevada's independent city
        return census
    for suffix in SUFFIXES:
        if census.endswith(suffix):
            return census[: -len(suffix)]
    fail("no known suffix on county %s %r" % (fips, census))


def sort_key(name):
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return (folded.casefold(), name)


def load_states():
    postal = {}
    with open(STATES_CSV, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if len(row["postal"]) == 2 and row["fips"] not in postal:
                postal[row["fips"]] = row["postal"]
    return postal


def load_counties():
    names = {}
    with open(COUNTIES_CSV, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            fips = row["statefp"] + row["countyfp"]
            if len(fips) != 5 or not fips.isdigit():
                fail("bad FIPS %r" % fips)
            names.setdefault(fips, []).append(row["name"])
    chosen = {}
    for fips, candidates in names.items():
        if fips[:2] in EXCLUDED_STATE_FIPS:
            continue
        if len(candidates) > 1:
            if fips not in ALIASES or ALIASES[fips] not in candidates:
                fail("FIPS %s has several names %r and no alias rule" % (fips, candidates))
            chosen[fips] = ALIASES[fips]
        else:
            chosen[fips] = candidates[0]
    for fips, name in REMOVED.items():
        if chosen.get(fips) != name:
            fail("expected %s %r in the source (to remove it)" % (fips, name))
        del chosen[fips]
    for fips, name in ADDED.items():
        if fips in chosen:
            fail("%s is already in the source" % fips)
        chosen[fips] = name
    for fips, (old, new) in RENAMED.items():
        if chosen.get(fips) != old:
            fail("expected %s %r in the source (to rename it)" % (fips, old))
        chosen[fips] = new
    return chosen


def build_rows():
    postal = load_states()
    rows = []
    seen = {}
    for fips, census in load_counties().items():
        state = postal.get(fips[:2])
        if state is None:
            fail("no state for FIPS %s" % fips)
        name = short_name(fips, census)
        if not name or name != name.strip() or "," in name or "/" in name or '"' in name:
            fail("unusable county name %r (%s)" % (name, fips))
        key = (state, name.casefold())
        if key in seen:
            fail("two counties of %s are both named %r: %s and %s"
                 % (state, name, seen[key], fips))
        seen[key] = fips
        rows.append(("US", state, name, fips))
    rows.sort(key=lambda r: (r[1], sort_key(r[2])))

    states = {r[1] for r in rows}
    pr = sum(1 for r in rows if r[1] == "PR")
    if len(states) != 52:
        fail("expected 50 states + DC + PR, found %d" % len(states))
    if pr != EXPECTED_PR or len(rows) - pr != EXPECTED_STATES_AND_DC:
        fail("expected %d + %d counties, found %d + %d"
             % (EXPECTED_STATES_AND_DC, EXPECTED_PR, len(rows) - pr, pr))
    return rows


def render(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("country", "state", "county", "fips"))
    w.writerows(rows)
    return buf.getvalue()


def check_previous(rows, path):
    """Every row already in the file (e.g. TX, CA, FL) must still be there, unchanged."""
    if not os.path.exists(path):
        return
    new = set(rows)
    with open(path, encoding="utf-8", newline="") as f:
        missing = [tuple(r.values()) for r in csv.DictReader(f) if tuple(r.values()) not in new]
    if missing:
        fail("rows of the current %s would change or disappear: %r"
             % (os.path.relpath(path), missing[:10]))


def main():
    rows = build_rows()
    text = render(rows)
    check_previous([tuple(r) for r in rows], OUT)
    if "--check" in sys.argv[1:]:
        with open(OUT, encoding="utf-8", newline="") as f:
            if f.read() != text:
                fail("%s is out of date; run this script" % OUT)
    else:
        with open(OUT, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    pr = sum(1 for r in rows if r[1] == "PR")
    print("geography.csv: %d counties (%d in 50 states + DC, %d in PR)"
          % (len(rows), len(rows) - pr, pr))


if __name__ == "__main__":
    main()
