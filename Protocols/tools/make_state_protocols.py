#!/usr/bin/env python3
"""Write the per-state protocols and contacts from Protocols/tools/states.csv (training data).

  protocols/states/<xx>/<xx>-child-01.yaml           child-abuse report to the state's intake
  protocols/states/<xx>/<xx>-reporter-duty-01.yaml   the caller's own duty to report
  protocols/states/<xx>/<xx>-icac-01.yaml            online child exploitation -> state ICAC
  protocols/states/<xx>/<xx>-adult-le-01.yaml        adult victim -> state police, with consent
  protocols/states/<xx>/<xx>-<county>-tf-01.yaml     adult victim -> regional task force, with consent
  directory/state_agencies.csv                       the contacts those protocols need
  README.md, section "## Per-state reporting table"  the table, generated from states.csv

states.csv is the curated source (one row per state, DC and PR; see its `notes` column for
what was checked where). Agency KINDS, statutes and jurisdictions are real; every contact
detail is fictional (NNN-555-01NN with a real area code of the state, <id>@example.org).
Protocol kinds that already exist for a state (Texas, California, Florida) are skipped, and so
are directory roles the hand-written directory already has for a state.

Usage:  python3 Protocols/tools/make_state_protocols.py          (writes everything)
        python3 Protocols/tools/make_state_protocols.py --check  (fails if a file would change)
Standard library only; deterministic output (sorted, no dates or random numbers).
"""
import csv
import glob
import io
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = os.path.dirname(HERE)
STATES_CSV = os.path.join(HERE, "states.csv")
GEOGRAPHY = os.path.join(PROTOCOLS, "geography.csv")
DIRECTORY = os.path.join(PROTOCOLS, "directory")
OUT_DIR = os.path.join(PROTOCOLS, "protocols", "states")
OUT_AGENCIES = os.path.join(DIRECTORY, "state_agencies.csv")
README = os.path.join(PROTOCOLS, "README.md")
README_HEADING = "## Per-state reporting table"

HEADER = ("id", "name", "role", "jurisdiction", "topics", "languages", "hours", "phone",
          "email", "active_from", "active_until", "training_data")
EFFECTIVE = "2024-01-01"
ACTIVE_FROM = "2020-01-01"

# Protocol kinds the lead's hand-written files already cover (checked against the files).
EXISTING_KINDS = {
    "child": {"TX": "TX-MINOR-01", "CA": "CA-MINOR-01", "FL": "FL-MINOR-01"},
    "duty": {"TX": "TX-PROF-DUTY", "CA": "CA-PROF-DUTY-01"},
    "icac": {"TX": "TX-ONLINE-01"},
    "adult_le": {"TX": "TX-DPS-COPY"},  # Texas copies DPS on police referrals by its own rule
}

# County-level intake contacts where the state's intake is split by county and the split is
# source-checked (see the NV row of states.csv); other county-administered states have a
# state-level intake row only.
COUNTY_INTAKE = {
    "NV": [("Clark", "clark-dfs", "Clark County Department of Family Services", "702"),
           ("Washoe", "washoe-hsa", "Washoe County Human Services Agency, Children's Services", "775")],
}
COUNTY_SPLIT_TEXT = {
    "NV": ("child welfare agency for the county: the Clark County Department of Family Services, "
           "the Washoe County Human Services Agency, or the state Division of Child and Family "
           "Services in the rural counties"),
}
LOCALITY = {"MD": "county (or Baltimore City)", "VA": "county or city"}
STATE_INTAKE_NAME = {"NV": "Nevada Division of Child and Family Services (rural counties)"}

# Regional task forces this training ruleset works with (the hotline's local partners). The
# region names are labels for training; the agency kind (a multidisciplinary human-trafficking
# task force of police, prosecutors and victim services) is real. topic: the referral's topic.
TASK_FORCES = {
    "DE": [("New Castle", "Wilmington", "New Castle County", "sex_trafficking"),
           ("Kent", "Dover", "Kent County", "sex_trafficking"),
           ("Sussex", "Georgetown", "Sussex County", "labor_trafficking")],
    "IN": [("Marion", "Indianapolis", "Marion County", "sex_trafficking"),
           ("Lake", "Gary", "Lake County", "sex_trafficking"),
           ("Allen", "Fort Wayne", "Allen County", "sex_trafficking"),
           ("Hamilton", "Carmel", "Hamilton County", "sex_trafficking"),
           ("St. Joseph", "South Bend", "St. Joseph County", "sex_trafficking"),
           ("Vanderburgh", "Evansville", "Vanderburgh County", "sex_trafficking"),
           ("Tippecanoe", "Lafayette", "Tippecanoe County", "sex_trafficking"),
           ("Elkhart", "Elkhart", "Elkhart County", "labor_trafficking")],
    "NM": [("Bernalillo", "Albuquerque", "Bernalillo County", "sex_trafficking"),
           ("Doña Ana", "Las Cruces", "Doña Ana County", "labor_trafficking"),
           ("Santa Fe", "Santa Fe", "Santa Fe County", "sex_trafficking"),
           ("Sandoval", "Rio Rancho", "Sandoval County", "sex_trafficking"),
           ("San Juan", "Farmington", "San Juan County", "sex_trafficking"),
           ("McKinley", "Gallup", "McKinley County", "sex_trafficking"),
           ("Valencia", "Los Lunas", "Valencia County", "sex_trafficking"),
           ("Lea", "Hobbs", "Lea County", "labor_trafficking")],
    "NC": [("Mecklenburg", "Charlotte", "Mecklenburg County", "sex_trafficking"),
           ("Wake", "Raleigh", "Wake County", "sex_trafficking"),
           ("Guilford", "Greensboro", "Guilford County", "sex_trafficking"),
           ("Forsyth", "Winston-Salem", "Forsyth County", "sex_trafficking"),
           ("Durham", "Durham", "Durham County", "sex_trafficking"),
           ("Cumberland", "Fayetteville", "Cumberland County", "sex_trafficking"),
           ("Buncombe", "Asheville", "Buncombe County", "sex_trafficking"),
           ("New Hanover", "Wilmington", "New Hanover County", "sex_trafficking"),
           ("Onslow", "Jacksonville", "Onslow County", "sex_trafficking"),
           ("Johnston", "Smithfield", "Johnston County", "labor_trafficking"),
           ("Sampson", "Clinton", "Sampson County", "labor_trafficking")],
    "SC": [("Richland", "Columbia", "Midlands", "sex_trafficking"),
           ("Lexington", "Lexington", "Midlands", "sex_trafficking"),
           ("Greenville", "Greenville", "Upstate", "sex_trafficking"),
           ("Spartanburg", "Spartanburg", "Upstate", "sex_trafficking"),
           ("Charleston", "Charleston", "Tri-County (Lowcountry)", "sex_trafficking"),
           ("Berkeley", "Moncks Corner", "Tri-County (Lowcountry)", "sex_trafficking"),
           ("Dorchester", "Summerville", "Tri-County (Lowcountry)", "sex_trafficking"),
           ("Horry", "Myrtle Beach", "Grand Strand", "sex_trafficking"),
           ("Florence", "Florence", "Pee Dee", "labor_trafficking"),
           ("York", "Rock Hill", "York County", "sex_trafficking")],
}

CAPTA = "42 U.S.C. § 5106g (a child sex-trafficking victim is a victim of child abuse)"
ICAC_CITE = "34 U.S.C. § 21112 (ICAC Task Force Program)"
TF_CITES = ["34 U.S.C. § 20705 (Justice Department grants for state and local anti-trafficking"
            " task forces; multidisciplinary approach)",
            "22 U.S.C. § 7102 (definitions of trafficking)",
            "18 U.S.C. § 3771 (crime victims' rights)"]
UNIVERSAL_RELATIONSHIPS = '["family", "friend", "professional", "community_member"]'


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def q(text):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def intake_ref(row):
    """The intake's short name as used in a sentence ("DFCS", "the county DSS")."""
    first = row["intake_short"].split()[0]
    if re.fullmatch(r"[A-Z][A-Z&]+", first) or first == "ChildLine":
        return row["intake_short"]
    return "the " + row["intake_short"]


def locality(row):
    return LOCALITY.get(row["state"], "county")


def cap(text):
    return text[:1].upper() + text[1:]


def in_name(row):
    return "the District of Columbia" if row["state"] == "DC" else row["state_name"]


def possessive(row):
    return in_name(row) + "'s"


def law_name(row):
    """As in "<law_name> law requires ..."."""
    return "District of Columbia" if row["state"] == "DC" else row["state_name"]


def fold(text, indent="  ", width=92):
    """A folded block scalar body (`because: >`), wrapped for reading."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(indent) + len(line) + 1 + len(word) > width:
            lines.append(indent + line)
            line = word
        else:
            line = (line + " " + word) if line else word
    if line:
        lines.append(indent + line)
    return "\n".join(lines) + "\n"


def report_yaml(rep, indent="      "):
    out = []
    for key in ("reporter", "location", "trafficking_type", "indicators", "victims", "perpetrator",
                "online_exploitation"):
        if key not in rep:
            continue
        value = rep[key]
        if isinstance(value, dict):
            inner = ", ".join("%s: %s" % (k, fmt(v)) for k, v in value.items())
            out.append("%s%s: { %s }" % (indent, key, inner))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            items = ", ".join("{ %s }" % ", ".join("%s: %s" % (k, fmt(v)) for k, v in item.items())
                              for item in value)
            out.append("%s%s: [ %s ]" % (indent, key, items))
        elif isinstance(value, list):
            out.append("%s%s: [%s]" % (indent, key, ", ".join(value)))
        else:
            out.append("%s%s: %s" % (indent, key, fmt(value)))
    return "\n".join(out) + "\n"


def fmt(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        return value
    return q(value)


def location(row, county=None, city=None):
    return {"country": "US", "state": row["state"], "county": county or row["test_county"],
            "city": city or row["test_city"]}


def test_yaml(name, rep, expect):
    out = "  - name: %s\n    report:\n" % q(name)
    out += report_yaml(rep)
    out += "    expect:\n"
    for key in ("applies", "escalation", "includes_roles", "excludes_roles"):
        if key in expect:
            value = expect[key]
            if isinstance(value, list):
                out += "      %s: [%s]\n" % (key, ", ".join(value))
            else:
                out += "      %s: %s\n" % (key, fmt(value))
    return out


def protocol_yaml(pid, title, scope, when, escalation, category, referrals, because, cites, tests,
                  for_each=False):
    out = "# Generated by Protocols/tools/make_state_protocols.py from tools/states.csv; do not edit.\n"
    out += "id: %s\ntitle: %s\nversion: 1\neffective: %s\nscope: %s\n" % (pid, q(title), EFFECTIVE, q(scope))
    if for_each:
        out += "for_each: victim\n"
    out += "when: >-\n" + fold(when, width=100)
    out += "then:\n  escalation: %s\n  category: %s\n  referrals:\n" % (escalation, category)
    for ref in referrals:
        out += "    - role: %s\n      consent: %s\n" % (ref["role"], ref["consent"])
        if ref.get("topic"):
            out += "      topic: %s\n" % ref["topic"]
        out += "      because: %s\n" % q(ref["because"])
    out += "because: >\n" + fold(because)
    out += "cite:\n" + "".join("  - %s\n" % q(c) for c in cites)
    out += "tests:\n" + "".join(tests)
    return out


# --- the five protocol kinds -------------------------------------------------------------------

def reporting_cite(row):
    cite = row["reporting_statute"]
    if row["timing_statute"]:
        cite += " (when to report: %s)" % row["timing_statute"]
    return cite


def child_protocol(row):
    st, name = row["state"], in_name(row)
    county = row["county_administered"] == "yes"
    if county and st in COUNTY_SPLIT_TEXT:
        who_takes = "In %s, reports of child abuse and neglect go to the %s." % (name, COUNTY_SPLIT_TEXT[st])
    elif county:
        who_takes = ("In %s, reports of child abuse and neglect go to the %s of the %s where the child "
                     "lives or is found." % (name, row["intake_short"], locality(row)))
    else:
        who_takes = "In %s, reports of child abuse and neglect go to the %s." % (name, row["intake_agency"])
    definition = row["trafficking_in_definition"]
    scope_clause = {"caregiver": ", and it covers abuse by a parent or other caregiver",
                    "sex_or_caregiver": " (it covers sexual exploitation and abuse by a caregiver)",
                    "all": ""}[row["duty_scope"]]
    if definition == "yes":
        why = ("%s law counts trafficking of a child as child abuse (%s), so report a trafficked "
               "child - sold for sex, or made to work by force, lies or threats - to %s now."
               % (law_name(row), row["definition_cite"], intake_ref(row)))
    elif definition == "policy":
        why = ("%s treats child trafficking as abuse by policy, though the text of the state's "
               "abuse definition that could be checked does not name trafficking. Under federal law "
               "a child sex-trafficking victim is a victim of child abuse (42 U.S.C. § 5106g), so "
               "report the trafficked child to %s now; police are told too."
               % (cap(intake_ref(row)), intake_ref(row)))
    elif definition == "no-term":
        why = ("%s definition of child abuse does not use the word trafficking but covers sexual "
               "exploitation of a child by anyone (%s). Under federal law a child sex-trafficking "
               "victim is a victim of child abuse (42 U.S.C. § 5106g), and this hotline reports "
               "every trafficked child - a child forced to work by force, lies or threats too - to "
               "%s now; police are told too." % (cap(possessive(row)), row["definition_cite"], intake_ref(row)))
    else:
        lead = "does not name trafficking" if definition == "no" else "does not clearly name trafficking"
        why = ("%s definition of child abuse %s%s. The report is still made: under federal law a "
               "child sex-trafficking victim is a victim of child abuse (42 U.S.C. § 5106g), and this "
               "hotline reports every trafficked child - a child forced to work by force, lies or "
               "threats too - to %s now; police are told too."
               % (cap(possessive(row)), lead, scope_clause, intake_ref(row)))
    because = "%s %s No one's permission is needed for a child." % (who_takes, why)
    ref_because = "The %s takes the report." % row["intake_agency"]
    if county and st in COUNTY_SPLIT_TEXT:
        ref_because = "The report goes to the %s." % COUNTY_SPLIT_TEXT[st]
    elif county:
        ref_because = ("The %s of the %s where the child lives or is found takes the report."
                       % (row["intake_short"], locality(row)))
    cites = [reporting_cite(row)]
    if row["definition_cite"] and definition in ("yes", "no-term"):
        cites.append("%s (definition of child abuse)" % row["definition_cite"])
    if definition != "yes":
        cites.append(CAPTA)
    tests = [
        test_yaml("16-year-old sold for sex in %s" % row["test_city"],
                  {"reporter": {"relationship": "friend"}, "location": location(row),
                   "trafficking_type": "sex", "indicators": ["commercial_sex"],
                   "victims": [{"age": 16}], "perpetrator": {"caregiver": False}},
                  {"applies": True, "escalation": "mandated_report",
                   "includes_roles": ["child_protective_services", "local_law_enforcement"]}),
        test_yaml("17-year-old forced to work under threats in %s" % row["test_city"],
                  {"reporter": {"relationship": "community_member"}, "location": location(row),
                   "trafficking_type": "labor", "indicators": ["coercion", "restricted_movement"],
                   "victims": [{"age": 17}], "perpetrator": {"caregiver": False}},
                  {"applies": True, "escalation": "mandated_report",
                   "includes_roles": ["child_protective_services"]}),
        test_yaml("16-year-old only owed wages, no force, fraud or coercion - not a child-abuse report",
                  {"reporter": {"relationship": "family"}, "location": location(row),
                   "trafficking_type": "labor", "indicators": ["wage_theft"],
                   "victims": [{"age": 16}], "perpetrator": {"caregiver": False}},
                  {"applies": False, "excludes_roles": ["child_protective_services"]}),
    ]
    return protocol_yaml(
        "%s-CHILD-01" % st,
        "%s child-abuse report for a trafficked child (%s)" % (row["state_name"], row["intake_short"]),
        "US/%s" % st, "child_trafficking", "mandated_report", "crisis",
        [{"role": "child_protective_services", "consent": "not_required:minor", "topic": "minors",
          "because": ref_because}],
        because, cites, tests)


def duty_protocol(row):
    st, name = row["state"], in_name(row)
    universal = row["who_must_report"] == "all persons"
    scope = row["duty_scope"]
    if universal:
        when = ("(reporter.mandated_reporter || reporter.relationship in %s) && child_trafficking"
                % UNIVERSAL_RELATIONSHIPS)
        who = "every person"
    else:
        when = "reporter.mandated_reporter && child_trafficking"
        who = ("the professionals it lists (for example health-care workers, teachers, social "
               "workers and police)")
    if scope == "caregiver":
        when += " && perpetrator.caregiver"
    elif scope == "sex_or_caregiver":
        when += " && (sex_trade || perpetrator.caregiver)"
    where = intake_ref(row)
    if row["county_administered"] == "yes" and st in COUNTY_SPLIT_TEXT:
        where = "the " + COUNTY_SPLIT_TEXT[st]
    elif row["county_administered"] == "yes":
        where = "the %s of the %s where the child lives or is found" % (row["intake_short"], locality(row))
    if row["timeframe_text"]:
        first = ("%s law requires %s to report suspected child abuse or neglect to %s %s (%s)."
                 % (law_name(row), who, where, row["timeframe_text"], row["reporting_statute"]))
    else:
        first = ("%s law requires %s to report suspected child abuse or neglect to %s (%s); the "
                 "statute sets no deadline." % (law_name(row), who, where, row["reporting_statute"]))
    parts = [first]
    if row["routing_note"]:
        parts.append(row["routing_note"])
    if scope == "caregiver":
        parts.append("That duty covers abuse by a parent, guardian or other caregiver, so it applies "
                     "when a caregiver is the one exploiting the child.")
    elif scope == "sex_or_caregiver":
        parts.append("That duty covers sexual exploitation of a child by anyone and abuse by a "
                     "caregiver, so it applies when a child is sold for sex or a caregiver is the one "
                     "exploiting the child.")
    elif row["trafficking_in_definition"] == "yes":
        parts.append("Trafficking of a child counts as abuse there.")
    elif row["trafficking_in_definition"] == "policy":
        parts.append("%s handles child trafficking as abuse by policy." % cap(intake_ref(row)))
    if row["duty_personal"] == "yes":
        parts.append("The duty is the caller's own: calling this hotline does not replace their report.")
    else:
        parts.append("The caller is also required to make that report themselves; this hotline "
                     "reports the child as well.")
    if not universal:
        parts.append("Callers who are not mandated reporters may report but are not required to.")
    because = " ".join(parts)
    ref_because = "The caller must make their own report to %s." % where

    if universal:
        duty_reporter = {"relationship": "community_member", "mandated_reporter": False}
        duty_name = "Neighbor in %s" % row["test_city"]
        free_reporter = {"relationship": "victim", "mandated_reporter": False}
        free_name = "The child calls for herself - no duty to report applies to her"
    else:
        duty_reporter = {"relationship": "professional", "mandated_reporter": True}
        duty_name = "School counselor in %s" % row["test_city"]
        free_reporter = {"relationship": "community_member", "mandated_reporter": False}
        free_name = "A neighbor is not a mandated reporter in %s (the child is still reported)" % name

    def rep(reporter, ttype, indicators, caregiver):
        return {"reporter": reporter, "location": location(row), "trafficking_type": ttype,
                "indicators": indicators, "victims": [{"age": 15}],
                "perpetrator": {"caregiver": caregiver}}

    applies = {"applies": True, "escalation": "mandated_report",
               "includes_roles": ["child_protective_services"]}
    still = {"applies": False, "escalation": "mandated_report",
             "includes_roles": ["child_protective_services"]}
    if scope == "caregiver":
        tests = [
            test_yaml("%s reports a 15-year-old her parent sells for sex" % duty_name,
                      rep(duty_reporter, "sex", ["commercial_sex"], True), applies),
            test_yaml("Trafficker is not a caregiver - outside this duty (the child is still reported)",
                      rep(duty_reporter, "sex", ["commercial_sex"], False), still),
            test_yaml(free_name, rep(free_reporter, "sex", ["commercial_sex"], True), still),
        ]
    elif scope == "sex_or_caregiver":
        tests = [
            test_yaml("%s reports a 15-year-old sold for sex" % duty_name,
                      rep(duty_reporter, "sex", ["commercial_sex"], False), applies),
            test_yaml("15-year-old forced to work by an employer - outside this duty (still reported)",
                      rep(duty_reporter, "labor", ["coercion"], False), still),
            test_yaml(free_name, rep(free_reporter, "sex", ["commercial_sex"], False), still),
        ]
    else:
        tests = [
            test_yaml("%s reports a 15-year-old sold for sex" % duty_name,
                      rep(duty_reporter, "sex", ["commercial_sex"], False), applies),
            test_yaml(free_name, rep(free_reporter, "sex", ["commercial_sex"], False), still),
        ]
    return protocol_yaml(
        "%s-REPORTER-DUTY-01" % st,
        "%s caller's own duty to report a trafficked child (%s)" % (row["state_name"], row["intake_short"]),
        "US/%s" % st, when, "mandated_report", "crisis",
        [{"role": "child_protective_services", "consent": "not_required:law", "topic": "minors",
          "because": ref_because}],
        because, [reporting_cite(row)], tests)


def icac_name(row):
    return "%s Internet Crimes Against Children Task Force (ICAC)" % row["state_name"]


def icac_protocol(row):
    st, name = row["state"], in_name(row)
    because = ("Sexual exploitation of a child online (sexual images, sextortion, grooming, or a "
               "child sold through apps or websites) also goes to the %s, part of the national "
               "Internet Crimes Against Children Task Force Program (34 U.S.C. § 21112). Refer it "
               "along with the CyberTipline report. No consent is needed for a child, and never ask "
               "the caller to send the images." % icac_name(row))
    tests = [
        test_yaml("14-year-old in %s sextorted over a game chat" % row["test_city"],
                  {"reporter": {"relationship": "family"}, "location": location(row),
                   "victims": [{"age": 14}], "online_exploitation": True},
                  {"applies": True, "escalation": "mandated_report",
                   "includes_roles": ["state_law_enforcement", "cybertipline"]}),
        test_yaml("19-year-old - not a child case",
                  {"reporter": {"relationship": "victim"}, "location": location(row),
                   "victims": [{"age": 19}], "online_exploitation": True},
                  {"applies": False, "excludes_roles": ["state_law_enforcement"]}),
    ]
    return protocol_yaml(
        "%s-ICAC-01" % st,
        "%s online child exploitation - state ICAC task force" % row["state_name"],
        "US/%s" % st, "online_exploitation && any(victims, v.age < 18)", "mandated_report", "crisis",
        [{"role": "state_law_enforcement", "consent": "not_required:minor", "topic": "online_exploitation",
          "because": "The %s ICAC task force investigates online child exploitation in %s."
                     % (row["state_name"], name)}],
        because, [ICAC_CITE], tests)


def adult_le_protocol(row):
    st, name = row["state"], in_name(row)
    statute = re.sub(r"\s*\([^()]*\)", "", row["trafficking_statute"])
    because = ("Holding an adult in sex or labor trafficking by force, fraud or coercion is a crime "
               "under %s law (%s). Only if that adult agrees, refer the case to state law "
               "enforcement: the %s. An adult decides whether police are involved: if they say no, "
               "respect it and offer services." % (law_name(row), statute, row["state_police_short"]))
    victim = {"relationship": "victim", "consents_to_share": True}
    tests = [
        test_yaml("27-year-old in %s held in forced labor who wants police" % row["test_city"],
                  {"reporter": victim, "location": location(row), "trafficking_type": "labor",
                   "indicators": ["coercion", "document_confiscation"],
                   "victims": [{"age": 27, "consents_to_law_enforcement": True}]},
                  {"applies": True, "escalation": "law_enforcement_referral",
                   "includes_roles": ["state_law_enforcement"]}),
        test_yaml("The same adult does not want police",
                  {"reporter": victim, "location": location(row), "trafficking_type": "labor",
                   "indicators": ["coercion", "document_confiscation"],
                   "victims": [{"age": 27, "consents_to_law_enforcement": False}]},
                  {"applies": False, "excludes_roles": ["state_law_enforcement"]}),
    ]
    return protocol_yaml(
        "%s-ADULT-LE-01" % st,
        "%s adult trafficking victim - %s, with consent" % (row["state_name"], row["state_police_short"]),
        "US/%s" % st, "adult_trafficking", "law_enforcement_referral", "tip",
        [{"role": "state_law_enforcement", "consent": "victim",
          "because": "Only with this adult's consent; an adult decides whether police are involved."}],
        because, [row["trafficking_statute"]], tests, for_each=True)


def tf_protocol(row, county, city, region, topic):
    st = row["state"]
    tf = "%s Human Trafficking Task Force" % region
    because = ("In %s County, this training ruleset's local partner for adult trafficking cases is "
               "the %s, a team of police, prosecutors and victim services of the kind the Justice "
               "Department funds under 34 U.S.C. § 20705. An adult trafficked by force, fraud or "
               "coercion decides whether police are involved: refer to the task force only if they "
               "agree." % (county, tf))
    victim = {"relationship": "victim", "consents_to_share": True}
    if topic == "labor_trafficking":
        case = {"trafficking_type": "labor", "indicators": ["coercion", "debt_bondage"]}
        who = "farm worker held by debt"
    else:
        case = {"trafficking_type": "sex", "indicators": ["force", "commercial_sex"]}
        who = "sex-trafficking survivor"

    def rep(consents):
        r = {"reporter": victim, "location": location(row, county, city)}
        r.update(case)
        r["victims"] = [{"age": 31, "consents_to_law_enforcement": consents}]
        return r

    tests = [
        test_yaml("Adult %s in %s who wants the task force" % (who, city), rep(True),
                  {"applies": True, "escalation": "law_enforcement_referral",
                   "includes_roles": ["local_law_enforcement"]}),
        test_yaml("The same adult does not want police", rep(False),
                  {"applies": False, "excludes_roles": ["local_law_enforcement"]}),
    ]
    return protocol_yaml(
        "%s-%s-TF-01" % (st, slug(county).upper()),
        "%s County, %s - %s (adult victims, with consent)" % (county, row["state_name"], tf),
        "US/%s/%s" % (st, county), "adult_trafficking", "law_enforcement_referral", "tip",
        [{"role": "local_law_enforcement", "consent": "victim", "topic": topic,
          "because": "Ask for the %s, and only with this adult's consent." % tf}],
        because, TF_CITES, tests, for_each=True)


# --- inputs ------------------------------------------------------------------------------------

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def existing_protocol_ids():
    ids = set()
    for path in glob.glob(os.path.join(PROTOCOLS, "protocols", "**", "*.yaml"), recursive=True):
        if os.path.commonpath([path, OUT_DIR]) == OUT_DIR:
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"id:\s*(\S+)", line)
                if m:
                    ids.add(m.group(1))
                    break
    return ids


def other_directory():
    rows = []
    for path in sorted(glob.glob(os.path.join(DIRECTORY, "*.csv"))):
        if os.path.abspath(path) != os.path.abspath(OUT_AGENCIES):
            rows.extend(read_csv(path))
    return rows


def has_role(directory, role, state):
    prefix = "US/%s" % state
    return any(r["role"] == role and (r["jurisdiction"] == prefix or r["jurisdiction"].startswith(prefix + "/"))
               and not (role == "state_law_enforcement" and "topics" in r and "online_exploitation" in r["topics"])
               for r in directory)


# --- outputs -----------------------------------------------------------------------------------

def contact(cid, name, role, jurisdiction, topics, languages, hours, phone):
    return {"id": cid, "name": name, "role": role, "jurisdiction": jurisdiction, "topics": topics,
            "languages": languages, "hours": hours, "phone": phone, "email": cid + "@example.org",
            "active_from": ACTIVE_FROM, "active_until": "", "training_data": "true"}


def intake_token(row):
    short = row["intake_short"].replace("&", "")
    return short.lower() if re.fullmatch(r"[A-Z]+", short) else "cps"


def agencies(states, directory):
    out = []
    for row in states:
        st, xx, ac = row["state"], row["state"].lower(), row["area_code"]
        languages = "es;en" if st == "PR" else "en;es"
        if not has_role(directory, "child_protective_services", st):
            out.append(contact("%s-%s-intake" % (xx, intake_token(row)),
                               STATE_INTAKE_NAME.get(st, row["intake_agency"]),
                               "child_protective_services", "US/%s" % st, "minors", languages,
                               "24/7", "%s-555-0101" % ac))
            for i, (county, cid, name, county_ac) in enumerate(COUNTY_INTAKE.get(st, [])):
                out.append(contact("%s-%s" % (xx, cid), name, "child_protective_services",
                                   "US/%s/%s" % (st, county), "minors", languages, "24/7",
                                   "%s-555-01%02d" % (county_ac, 40 + i)))
        if not has_role(directory, "state_law_enforcement", st):
            out.append(contact("%s-state-police" % xx, row["state_police_short"], "state_law_enforcement",
                               "US/%s" % st, "", languages, "24/7", "%s-555-0102" % ac))
        # Texas: online_exploitation only, so the ICAC contact never joins DPS's crime information
        # center on Texas's topic-"minors" state-police referrals.
        topics = "online_exploitation" if st == "TX" else "online_exploitation;minors"
        out.append(contact("%s-icac" % xx, icac_name(row), "state_law_enforcement", "US/%s" % st,
                           topics, languages, "24/7", "%s-555-0103" % ac))
        for i, (county, city, region, topic) in enumerate(TASK_FORCES.get(st, [])):
            out.append(contact("%s-%s-htf" % (xx, slug(county)), "%s Human Trafficking Task Force" % region,
                               "local_law_enforcement", "US/%s/%s" % (st, county),
                               "sex_trafficking;labor_trafficking", languages, "Mon-Fri 08:00-17:00",
                               "%s-555-01%02d" % (ac, 10 + i)))
    out.sort(key=lambda r: r["id"])
    return out


def csv_text(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


DEFINITION_LABEL = {"yes": "yes", "no": "no", "no-term": "no term (covers sexual exploitation)",
                    "unclear": "unclear", "policy": "by agency policy"}


def readme_section(states):
    def cell(text):
        return text.replace("|", "\\|").replace("\n", " ")
    lines = [README_HEADING, "",
             "Generated from `Protocols/tools/states.csv` by `python3 Protocols/tools/make_state_protocols.py`",
             "(which also writes `protocols/states/<xx>/*.yaml` and `directory/state_agencies.csv`; add",
             "`--check` to fail when a generated file is out of date). Edit `states.csv`, never the generated",
             "files. The table is training data, not legal advice: each row's `notes` column in `states.csv`",
             "says what was checked and where, and which parts rest on the shared research table only.",
             "",
             "Per state the generator writes `XX-CHILD-01` (report a trafficked child to the intake below;",
             "where the abuse definition does not name trafficking the report rests on 42 U.S.C. § 5106g),",
             "`XX-REPORTER-DUTY-01` (the caller's own duty; *duty scope* limits it to what the statute",
             "covers: `caregiver` = abuse by a caregiver only, `sex_or_caregiver` = sexual exploitation by",
             "anyone or abuse by a caregiver), `XX-ICAC-01` (34 U.S.C. § 21112) and `XX-ADULT-LE-01` (the",
             "state police, only with the adult's consent), skipping Texas, California and Florida where",
             "the hand-written protocols already cover a kind; and `XX-<COUNTY>-TF-01` for the regional",
             "task forces in Delaware, Indiana, New Mexico, North Carolina and South Carolina. In",
             "county-administered states (marked *county*) the directory has one state-level intake row,",
             "except Nevada, which also has Clark and Washoe County rows.",
             "",
             "| State | Intake agency (kind) | Who must report | Reporting statute | Trafficking in abuse definition | Duty scope | Timeframe | State police | Confidence / rechecked |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in states:
        intake = r["intake_agency"] + (" (*county*)" if r["county_administered"] == "yes" else "")
        statute = r["reporting_statute"] + ("; timing: " + r["timing_statute"] if r["timing_statute"] else "")
        conf = r["confidence"] + ("; " + r["recheck"] if r["recheck"] else "")
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % tuple(cell(x) for x in (
            r["state"], intake, r["who_must_report"], statute,
            DEFINITION_LABEL[r["trafficking_in_definition"]], r["duty_scope"], r["timeframe"],
            r["state_police"], conf)))
    lines.append("")
    return "\n".join(lines)


def readme_text(states):
    with open(README, encoding="utf-8") as f:
        text = f.read()
    section = readme_section(states)
    start = text.find("\n" + README_HEADING + "\n")
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    start += 1
    nxt = text.find("\n## ", start + len(README_HEADING))
    rest = text[nxt + 1:] if nxt >= 0 else ""
    return text[:start] + section + ("\n" + rest if rest else "")


def build():
    states = read_csv(STATES_CSV)
    assert len(states) == 52, "states.csv must have 52 rows"
    geography = {(r["state"], r["county"]) for r in read_csv(GEOGRAPHY)}
    problems = []
    for r in states:
        if (r["state"], r["test_county"]) not in geography:
            problems.append("%s: test county %r is not in geography.csv" % (r["state"], r["test_county"]))
    for st, forces in TASK_FORCES.items():
        for county, _, _, _ in forces:
            if (st, county) not in geography:
                problems.append("%s: task-force county %r is not in geography.csv" % (st, county))
    for st, counties in COUNTY_INTAKE.items():
        for county, _, _, _ in counties:
            if (st, county) not in geography:
                problems.append("%s: intake county %r is not in geography.csv" % (st, county))
    existing = existing_protocol_ids()
    for kind, by_state in EXISTING_KINDS.items():
        for st, pid in by_state.items():
            if pid not in existing:
                problems.append("expected existing protocol %s (%s kind for %s) is missing" % (pid, kind, st))
    if problems:
        sys.exit("\n".join(problems))

    files = {}
    by_state = {r["state"]: r for r in states}
    for r in states:
        st, xx = r["state"], r["state"].lower()
        if st not in EXISTING_KINDS["child"]:
            files[os.path.join(xx, "%s-child-01.yaml" % xx)] = child_protocol(r)
        if st not in EXISTING_KINDS["duty"]:
            files[os.path.join(xx, "%s-reporter-duty-01.yaml" % xx)] = duty_protocol(r)
        if st not in EXISTING_KINDS["icac"]:
            files[os.path.join(xx, "%s-icac-01.yaml" % xx)] = icac_protocol(r)
        if st not in EXISTING_KINDS["adult_le"] and r["trafficking_statute"]:
            files[os.path.join(xx, "%s-adult-le-01.yaml" % xx)] = adult_le_protocol(r)
    for st, forces in sorted(TASK_FORCES.items()):
        for county, city, region, topic in forces:
            xx = st.lower()
            files[os.path.join(xx, "%s-%s-tf-01.yaml" % (xx, slug(county)))] = tf_protocol(
                by_state[st], county, city, region, topic)

    directory = other_directory()
    rows = agencies(states, directory)
    taken = {r["id"] for r in directory}
    clash = sorted(r["id"] for r in rows if r["id"] in taken)
    if clash:
        sys.exit("contact ids already used in other directory files: " + ", ".join(clash))
    return files, csv_text(rows), readme_text(states)


def main():
    check = "--check" in sys.argv[1:]
    files, agencies_csv, readme = build()
    stale = []
    current = {os.path.relpath(p, OUT_DIR) for p in glob.glob(os.path.join(OUT_DIR, "*", "*.yaml"))}
    for rel in sorted(current - set(files)):
        stale.append(os.path.join(OUT_DIR, rel))
        if not check:
            os.remove(os.path.join(OUT_DIR, rel))
    outputs = [(os.path.join(OUT_DIR, rel), text) for rel, text in sorted(files.items())]
    outputs += [(OUT_AGENCIES, agencies_csv), (README, readme)]
    for path, text in outputs:
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                old = f.read()
        if old == text:
            continue
        stale.append(path)
        if not check:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if check:
        if stale:
            sys.exit("out of date: " + ", ".join(os.path.relpath(p, PROTOCOLS) for p in stale))
        print("up to date")
        return
    kinds = {}
    for rel in files:
        kind = re.sub(r"^[a-z]{2}-(?:.*-)?(child|reporter-duty|icac|adult-le|tf)-01\.yaml$", r"\1",
                      os.path.basename(rel))
        kinds[kind] = kinds.get(kind, 0) + 1
    print("protocols:", len(files), dict(sorted(kinds.items())))
    print("contacts:", agencies_csv.count("\n") - 1, "changed files:", len(stale))


if __name__ == "__main__":
    main()
