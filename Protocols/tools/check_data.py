#!/usr/bin/env python3
"""Check Protocols/geography.csv against every Protocols/directory/*.csv.

- every county of geography.csv has a county-level local_law_enforcement contact
- contact ids are unique across all directory files and match [a-z0-9-]+
- every jurisdiction names a state / county of geography.csv (exact spelling)
- phones are fictional NNN-555-01NN (or "911" for emergency_services)
- at least 1,681 law-enforcement rows and 1,200 provider rows in total

Prints the counts; exits 1 on any problem. Standard library only.
Usage: python3 Protocols/tools/check_data.py
"""
import collections
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = os.path.dirname(HERE)
DIRECTORY = os.path.join(PROTOCOLS, "directory")
GEOGRAPHY = os.path.join(PROTOCOLS, "geography.csv")

HEADER = ["id", "name", "role", "jurisdiction", "topics", "languages", "hours", "phone",
          "email", "active_from", "active_until", "training_data"]
LAW_ENFORCEMENT_ROLES = {"local_law_enforcement", "state_law_enforcement",
                         "federal_law_enforcement", "federal_immigration_law_enforcement"}
PROVIDER_ROLES = {"shelter", "case_management", "legal_services",
                  "immigration_legal_services", "forced_marriage_services",
                  "interpretation", "hotline"}
MIN_LAW_ENFORCEMENT = 1681
MIN_PROVIDERS = 1200
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PHONE = re.compile(r"^\d{3}-555-01\d\d$")

problems = []


def problem(where, message):
    problems.append("%s: %s" % (where, message))


def main():
    with open(GEOGRAPHY, encoding="utf-8", newline="") as f:
        geo = list(csv.DictReader(f))
    counties = {(r["state"], r["county"]) for r in geo}
    states = {r["state"] for r in geo}
    if len(counties) != len(geo):
        problem("geography.csv", "duplicate (state, county) rows")
    folded = collections.Counter((s, c.casefold()) for s, c in counties)
    for key, n in folded.items():
        if n > 1:
            problem("geography.csv", "county name used %d times in %s: %s" % (n, *key))

    ids = {}
    le_counties = set()
    roles = collections.Counter()
    for name in sorted(os.listdir(DIRECTORY)):
        if not name.endswith(".csv"):
            continue
        path = os.path.join(DIRECTORY, name)
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != HEADER:
                problem(name, "header is %r" % header)
                continue
            for line, fields in enumerate(reader, start=2):
                where = "%s:%d" % (name, line)
                if len(fields) != len(HEADER):
                    problem(where, "%d fields, expected %d" % (len(fields), len(HEADER)))
                    continue
                r = dict(zip(HEADER, fields))
                roles[r["role"]] += 1
                if not ID.match(r["id"]):
                    problem(where, "bad id %r" % r["id"])
                if r["id"] in ids:
                    problem(where, "duplicate id %r (also %s)" % (r["id"], ids[r["id"]]))
                ids[r["id"]] = where
                if not (PHONE.match(r["phone"])
                        or (r["role"] == "emergency_services" and r["phone"] == "911")):
                    problem(where, "phone %r is not NNN-555-01NN" % r["phone"])
                if r["email"] and not r["email"].endswith("@example.org"):
                    problem(where, "email %r is not @example.org" % r["email"])
                if r["training_data"] != "true":
                    problem(where, "training_data is not true")
                parts = r["jurisdiction"].split("/")
                if parts[0] != "US":
                    problem(where, "jurisdiction %r" % r["jurisdiction"])
                    continue
                if len(parts) >= 2 and parts[1] in states and len(parts) >= 3:
                    if (parts[1], parts[2]) not in counties:
                        problem(where, "county %r is not in geography.csv" % r["jurisdiction"])
                elif len(parts) >= 2 and parts[1] not in states:
                    problem(where, "state %r is not in geography.csv" % parts[1])
                if r["role"] == "local_law_enforcement" and len(parts) == 3:
                    le_counties.add((parts[1], parts[2]))

    uncovered = sorted(counties - le_counties)
    for state, county in uncovered:
        problem("geography.csv", "no county-level local_law_enforcement for %s/%s"
                % (state, county))
    law_enforcement = sum(roles[r] for r in LAW_ENFORCEMENT_ROLES)
    providers = sum(roles[r] for r in PROVIDER_ROLES)
    if law_enforcement < MIN_LAW_ENFORCEMENT:
        problem("directory", "%d law-enforcement rows, fewer than %d"
                % (law_enforcement, MIN_LAW_ENFORCEMENT))
    if providers < MIN_PROVIDERS:
        problem("directory", "%d provider rows, fewer than %d" % (providers, MIN_PROVIDERS))

    pr = sum(1 for s, _ in counties if s == "PR")
    print("counties: %d (%d in 50 states + DC, %d in PR); with county-level local "
          "law enforcement: %d" % (len(counties), len(counties) - pr, pr,
                                   len(counties & le_counties)))
    print("contacts: %d; law enforcement (local/state/federal): %d (local %d); "
          "providers: %d" % (len(ids), law_enforcement, roles["local_law_enforcement"],
                             providers))
    print("providers by role: " + ", ".join("%s %d" % (r, roles[r])
                                            for r in sorted(PROVIDER_ROLES)))
    for p in problems[:50]:
        print("problem: " + p)
    if problems:
        print("%d problem(s)" % len(problems))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
