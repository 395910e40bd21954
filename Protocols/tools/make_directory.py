#!/usr/bin/env python3
"""Write two generated directory files from Protocols/geography.csv (training data):

  directory/county_law_enforcement.csv  a local_law_enforcement contact for every county
                                        that directory/law_enforcement.csv does not cover
                                        at county level
  directory/state_providers.csv         service providers for every state, DC and PR, and
                                        county-level ones in the most populous counties

Agency KINDS and jurisdictions are real (a county's sheriff, a parish's sheriff, an
independent city's police department). Provider names are invented from the word lists
below; every contact detail is fictional (555-01xx numbers, example.org addresses).
Output is deterministic: names come from a SHA-256 of the contact id, not from a random
generator, and rows are sorted by id.

Usage:  python3 Protocols/tools/make_directory.py          (writes both files)
        python3 Protocols/tools/make_directory.py --check  (fails if a file would change)
Standard library only. Run tools/check_data.py afterwards.
"""
import csv
import hashlib
import io
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = os.path.dirname(HERE)
DIRECTORY = os.path.join(PROTOCOLS, "directory")
GEOGRAPHY = os.path.join(PROTOCOLS, "geography.csv")
LAW_ENFORCEMENT = os.path.join(DIRECTORY, "law_enforcement.csv")
PROVIDERS = os.path.join(DIRECTORY, "providers.csv")
AGENCIES = os.path.join(DIRECTORY, "agencies.csv")
OUT_LE = os.path.join(DIRECTORY, "county_law_enforcement.csv")
OUT_PROVIDERS = os.path.join(DIRECTORY, "state_providers.csv")
GENERATED = {os.path.basename(OUT_LE), os.path.basename(OUT_PROVIDERS)}

HEADER = ("id", "name", "role", "jurisdiction", "topics", "languages", "hours", "phone",
          "email", "active_from", "active_until", "training_data")
ACTIVE_FROM = "2020-01-01"
OFFICE_HOURS = "Mon-Fri 09:00-17:00"

STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "the District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
}

# One real area code per state (mostly the capital's); numbers are 555-0100..555-0199.
AREA_CODES = {
    "AL": "334", "AK": "907", "AZ": "602", "AR": "501", "CA": "916", "CO": "303",
    "CT": "860", "DE": "302", "DC": "202", "FL": "850", "GA": "404", "HI": "808",
    "ID": "208", "IL": "217", "IN": "317", "IA": "515", "KS": "785", "KY": "502",
    "LA": "225", "ME": "207", "MD": "410", "MA": "617", "MI": "517", "MN": "651",
    "MS": "601", "MO": "573", "MT": "406", "NE": "402", "NV": "775", "NH": "603",
    "NJ": "609", "NM": "505", "NY": "518", "NC": "919", "ND": "701", "OH": "614",
    "OK": "405", "OR": "503", "PA": "717", "RI": "401", "SC": "803", "SD": "605",
    "TN": "615", "TX": "512", "UT": "801", "VT": "802", "VA": "804", "WA": "360",
    "WV": "304", "WI": "608", "WY": "307", "PR": "787",
}

# Provider languages; everywhere else "en;es".
PROVIDER_LANGUAGES = {
    "PR": "es;en",
    "CA": "en;es;zh;vi;tl", "TX": "en;es;vi", "FL": "en;es;ht;pt",
    "NY": "en;es;zh;ru;bn", "IL": "en;es;pl;ar", "NJ": "en;es;pt;ko", "MA": "en;es;pt;ht",
    "WA": "en;es;vi;zh", "MN": "en;es;so", "MI": "en;es;ar", "GA": "en;es;vi;ko",
    "VA": "en;es;ko;vi", "MD": "en;es;fr;am", "PA": "en;es;zh;vi", "AZ": "en;es;nv",
    "HI": "en;tl;ja;zh", "NV": "en;es;tl", "CO": "en;es;vi", "NC": "en;es;vi",
    "OH": "en;es;so", "DC": "en;es;am",
}
LE_LANGUAGES = {"PR": "es;en"}

# Most populous counties, roughly most populous first (2020 Census, abridged); the script
# gives each listed county an adult shelter, a youth shelter and case management, skipping
# any that providers.csv already has there.
POPULOUS_COUNTIES = {
    "AL": ["Jefferson", "Mobile", "Madison", "Baldwin", "Tuscaloosa", "Montgomery"],
    "AK": ["Anchorage", "Matanuska-Susitna", "Fairbanks North Star"],
    "AZ": ["Maricopa", "Pima", "Pinal", "Yavapai", "Yuma", "Mohave"],
    "AR": ["Pulaski", "Benton", "Washington", "Faulkner"],
    "CA": ["Los Angeles", "San Diego", "Orange", "Riverside", "San Bernardino",
           "Santa Clara", "Alameda", "Sacramento", "Contra Costa", "Fresno", "Kern",
           "San Francisco", "Ventura", "San Mateo", "San Joaquin"],
    "CO": ["Denver", "El Paso", "Arapahoe", "Jefferson", "Adams", "Larimer"],
    "CT": ["Fairfield", "Hartford", "New Haven", "New London"],
    "DE": ["New Castle", "Sussex", "Kent"],
    "FL": ["Miami-Dade", "Broward", "Palm Beach", "Hillsborough", "Orange", "Duval",
           "Pinellas", "Lee", "Polk", "Brevard", "Pasco", "Volusia"],
    "GA": ["Fulton", "Gwinnett", "Cobb", "DeKalb", "Clayton", "Chatham", "Forsyth",
           "Henry", "Cherokee", "Richmond", "Muscogee"],
    "HI": ["Honolulu", "Hawaii", "Maui"],
    "ID": ["Ada", "Canyon", "Kootenai"],
    "IL": ["Cook", "DuPage", "Lake", "Will", "Kane", "McHenry", "Winnebago", "Madison",
           "St. Clair", "Champaign", "Sangamon"],
    "IN": ["Marion", "Lake", "Allen", "Hamilton", "St. Joseph", "Elkhart"],
    "IA": ["Polk", "Linn", "Scott", "Johnson"],
    "KS": ["Johnson", "Sedgwick", "Shawnee", "Wyandotte"],
    "KY": ["Jefferson", "Fayette", "Kenton", "Boone"],
    "LA": ["East Baton Rouge", "Jefferson", "Orleans", "St. Tammany", "Lafayette", "Caddo"],
    "ME": ["Cumberland", "York", "Penobscot"],
    "MD": ["Montgomery", "Prince George's", "Baltimore", "Anne Arundel", "Baltimore City",
           "Howard"],
    "MA": ["Middlesex", "Worcester", "Essex", "Suffolk", "Norfolk", "Bristol"],
    "MI": ["Wayne", "Oakland", "Macomb", "Kent", "Genesee", "Washtenaw", "Ottawa",
           "Ingham", "Kalamazoo"],
    "MN": ["Hennepin", "Ramsey", "Dakota", "Anoka", "Washington"],
    "MS": ["Hinds", "Harrison", "DeSoto", "Rankin"],
    "MO": ["St. Louis", "Jackson", "St. Charles", "St. Louis City", "Greene", "Clay"],
    "MT": ["Yellowstone", "Gallatin", "Missoula"],
    "NE": ["Douglas", "Lancaster", "Sarpy"],
    "NV": ["Clark", "Washoe", "Carson City"],
    "NH": ["Hillsborough", "Rockingham", "Merrimack"],
    "NJ": ["Bergen", "Middlesex", "Essex", "Hudson", "Monmouth", "Ocean", "Union",
           "Passaic", "Camden"],
    "NM": ["Bernalillo", "Doña Ana", "Santa Fe", "Sandoval"],
    "NY": ["Kings", "Queens", "New York", "Suffolk", "Bronx", "Nassau", "Westchester",
           "Erie", "Monroe", "Richmond", "Onondaga", "Orange"],
    "NC": ["Wake", "Mecklenburg", "Guilford", "Forsyth", "Cumberland", "Durham",
           "Buncombe", "Union", "Gaston"],
    "ND": ["Cass", "Burleigh", "Grand Forks"],
    "OH": ["Franklin", "Cuyahoga", "Hamilton", "Summit", "Montgomery", "Lucas", "Butler",
           "Stark", "Lorain", "Warren"],
    "OK": ["Oklahoma", "Tulsa", "Cleveland", "Canadian"],
    "OR": ["Multnomah", "Washington", "Clackamas", "Lane", "Marion"],
    "PA": ["Philadelphia", "Allegheny", "Montgomery", "Bucks", "Delaware", "Lancaster",
           "Chester", "York", "Berks", "Lehigh", "Westmoreland"],
    "RI": ["Providence", "Kent"],
    "SC": ["Greenville", "Richland", "Charleston", "Horry", "Spartanburg"],
    "SD": ["Minnehaha", "Pennington"],
    "TN": ["Shelby", "Davidson", "Knox", "Hamilton", "Rutherford", "Williamson"],
    "TX": ["Harris", "Dallas", "Tarrant", "Bexar", "Travis", "Collin", "Denton", "Hidalgo",
           "Fort Bend", "El Paso", "Montgomery", "Williamson", "Cameron", "Brazoria"],
    "UT": ["Salt Lake", "Utah", "Davis", "Weber"],
    "VT": ["Chittenden", "Rutland"],
    "VA": ["Fairfax", "Prince William", "Virginia Beach City", "Loudoun", "Chesterfield",
           "Henrico", "Chesapeake City", "Norfolk City", "Arlington", "Richmond City"],
    "WA": ["King", "Pierce", "Snohomish", "Spokane", "Clark", "Thurston", "Kitsap"],
    "WV": ["Kanawha", "Berkeley", "Cabell", "Monongalia"],
    "WI": ["Milwaukee", "Dane", "Waukesha", "Brown", "Racine"],
    "WY": ["Laramie", "Natrona"],
    "PR": ["San Juan", "Bayamón", "Carolina", "Ponce", "Caguas", "Mayagüez"],
    "DC": [],
}
# The most populous county of these states also gets legal and immigration legal services.
COUNTY_LEGAL_STATES = {"NY", "PA", "IL", "OH", "GA", "NC", "MI", "NJ", "VA", "WA", "AZ",
                       "MA", "MD", "CO", "MN", "NV", "PR"}
# State-level forced-marriage services (national ones serve everyone else).
FORCED_MARRIAGE_STATES = {"NY", "IL", "NJ", "GA", "VA", "MI", "WA", "MN"}

# Invented name parts. Two parts make a place-like prefix ("Copper Landing"); no person's
# name and no real organisation's name is meant.
ADJECTIVES = [
    "Amber", "Ashen", "Aspen", "Birch", "Blue", "Bramble", "Briar", "Bright", "Calm",
    "Cedar", "Clear", "Clover", "Copper", "Cobble", "Dune", "Elder", "Ember", "Fern",
    "Flint", "Garnet", "Gentle", "Glass", "Heather", "Hazel", "Heron", "Indigo", "Ivy",
    "Juniper", "Kestrel", "Lantern", "Larch", "Lark", "Linden", "Lupine", "Marigold",
    "Mesa", "Mica", "Moss", "Night", "Oak", "Opal", "Osprey", "Pebble", "Pine",
    "Plover", "Prairie", "Quail", "Quiet", "Rain", "Reed", "Rowan", "Rush", "Saffron",
    "Sage", "Sand", "Sedge", "Shale", "Silver", "Slate", "Sorrel", "Spruce", "Star",
    "Stone", "Sumac", "Tamarack", "Teal", "Thistle", "Timber", "Tulip", "Walnut",
    "Wheat", "Willow", "Wren", "Yarrow",
]
NOUNS = [
    "Bend", "Bluff", "Brook", "Commons", "Cove", "Creek", "Crest", "Crossing", "Fields",
    "Ford", "Gate", "Glen", "Grove", "Harbor", "Heights", "Hollow", "Knoll", "Landing",
    "Lantern", "Meadow", "Mill", "Orchard", "Pass", "Path", "Point", "Pond", "Reach",
    "Ridge", "Rise", "Run", "Shore", "Spring", "Terrace", "Trail", "Vale", "View",
    "Water", "Wood", "Yard",
]
# Combinations that name a well-known real place; skipped.
BLOCKED_PREFIXES = {"Pine Ridge", "Oak Ridge", "Silver Spring", "Willow Creek",
                    "Clear Creek", "Clear Water", "Cedar Crest", "Pine Bluff", "Oak Grove",
                    "Pine Grove", "Willow Grove", "Cedar Grove", "Walnut Creek", "Stone Ridge",
                    "Star Point", "Oak Hollow", "Sand Point", "Elder Creek"}
# Puerto Rico: Spanish name parts (noun, gender) and adjectives (masculine, feminine).
ES_NOUNS = [("Alba", "f"), ("Arrecife", "m"), ("Bahía", "f"), ("Brisa", "f"),
            ("Cumbre", "f"), ("Estrella", "f"), ("Faro", "m"), ("Lucero", "m"),
            ("Marea", "f"), ("Orilla", "f"), ("Palma", "f"), ("Quebrada", "f"),
            ("Roca", "f"), ("Sendero", "m"), ("Vereda", "f"), ("Ola", "f"), ("Ceiba", "f"),
            ("Caracol", "m"), ("Puente", "m"), ("Llano", "m")]
ES_ADJECTIVES = [("Claro", "Clara"), ("Sereno", "Serena"), ("Nuevo", "Nueva"),
                 ("Dorado", "Dorada"), ("Azul", "Azul"), ("Tranquilo", "Tranquila"),
                 ("Alto", "Alta"), ("Verde", "Verde"), ("Abierto", "Abierta"),
                 ("Blanco", "Blanca"), ("Firme", "Firme"), ("Luminoso", "Luminosa")]

# kind -> (role, topics, hours, English template, Spanish template)
KINDS = {
    "shelter-adults": ("shelter", "adults", "24/7",
                       "{p} Survivor Residence", "Residencia {p} para Sobrevivientes"),
    "shelter-minors": ("shelter", "minors", "24/7",
                       "{p} Youth Shelter", "Hogar Juvenil {p}"),
    "case-management": ("case_management", "", OFFICE_HOURS,
                        "{p} Survivor Navigation Program",
                        "Programa de Acompañamiento {p}"),
    "legal": ("legal_services", "", OFFICE_HOURS,
              "{p} Survivor Legal Clinic", "Clínica Legal {p} para Sobrevivientes"),
    "immigration-legal": ("immigration_legal_services", "immigration", OFFICE_HOURS,
                          "{p} Immigrant Survivor Legal Project",
                          "Proyecto Legal {p} para Sobrevivientes Inmigrantes"),
    "forced-marriage": ("forced_marriage_services", "forced_marriage", OFFICE_HOURS,
                        "{p} Forced Marriage Support Program", None),
}
STATE_KINDS = ["shelter-adults", "shelter-minors", "case-management", "legal",
               "immigration-legal"]
COUNTY_KINDS = ["shelter-adults", "shelter-minors", "case-management"]
STATE_LEVEL_TEMPLATES = {  # state-level networks read differently from county programs
    "shelter-adults": ("{p} Survivor Shelter Network of {s}",
                       "Red de Albergues {p} para Sobrevivientes de {s}"),
    "shelter-minors": ("{p} Youth Shelter Network of {s}",
                       "Red de Hogares Juveniles {p} de {s}"),
    "case-management": ("{p} Survivor Case Management of {s}",
                        "Manejo de Casos {p} para Sobrevivientes de {s}"),
    "legal": ("{p} Survivor Legal Network of {s}",
              "Red Legal {p} para Sobrevivientes de {s}"),
    "immigration-legal": ("{p} Immigrant Survivor Legal Network of {s}",
                          "Red Legal {p} para Sobrevivientes Inmigrantes de {s}"),
    "forced-marriage": ("{p} Forced Marriage Support Program of {s}", None),
}

PROVIDER_ROLES = {"shelter", "case_management", "legal_services",
                  "immigration_legal_services", "forced_marriage_services",
                  "interpretation", "hotline"}


def fail(message):
    sys.stderr.write("make_directory.py: error: " + message + "\n")
    sys.exit(1)


def slug(text):
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("'", "").replace(".", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_geography():
    counties = []
    for row in read_csv(GEOGRAPHY):
        counties.append((row["state"], row["county"], row["fips"]))
    return counties


def other_directory_files():
    """Rows of every directory CSV this script does not write (for the id check only:
    what the output contains depends only on geography.csv and the hand-written
    law_enforcement.csv, agencies.csv and providers.csv)."""
    rows = []
    for name in sorted(os.listdir(DIRECTORY)):
        if name.endswith(".csv") and name not in GENERATED:
            rows.extend(read_csv(os.path.join(DIRECTORY, name)))
    return rows


def is_independent_city(state, fips):
    return state in ("VA", "MD", "MO", "NV") and int(fips[2:]) >= 500


class Phones:
    """Hands out NNN-555-01NN numbers per state, cycling through 0100..0199."""

    def __init__(self):
        self.next = {}

    def take(self, state):
        n = self.next.get(state, 0)
        self.next[state] = n + 1
        return "%s-555-01%02d" % (AREA_CODES[state], n % 100)


def digest(*parts):
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def prefix(contact_id, state, attempt):
    h = digest(contact_id, str(attempt))
    if state == "PR":
        noun, gender = ES_NOUNS[h % len(ES_NOUNS)]
        masculine, feminine = ES_ADJECTIVES[(h // 97) % len(ES_ADJECTIVES)]
        return "%s %s" % (noun, masculine if gender == "m" else feminine)
    adjective = ADJECTIVES[h % len(ADJECTIVES)]
    noun = NOUNS[(h // 131) % len(NOUNS)]
    if adjective == noun:
        noun = NOUNS[(h // 131 + 1) % len(NOUNS)]
    return "%s %s" % (adjective, noun)


def county_phrase(state, county, fips):
    if state == "PR":
        return county
    if is_independent_city(state, fips) or state == "DC":
        return county
    if state == "LA":
        return county + " Parish"
    if state == "AK":
        return county
    return county + " County"


def law_enforcement_name(state, county, fips):
    if state == "DC":
        return "Metropolitan Police Department"
    if state == "PR":
        return "Policía Municipal de " + county
    if is_independent_city(state, fips):
        base = county[: -len(" City")] if county.endswith(" City") else county
        if state == "MO" and base == "St. Louis":
            return "St. Louis Metropolitan Police Department"
        if state == "NV":   # Carson City is policed by its consolidated sheriff
            return "Carson City Sheriff's Office"
        if state == "VA" and base == "Fairfax":   # not Fairfax County's police
            return "City of Fairfax Police Department"
        return base + " Police Department"
    if (state, county) in CITY_POLICE:
        return CITY_POLICE[(state, county)]
    if (state, county) in COUNTY_POLICE:
        return COUNTY_POLICE[(state, county)]
    if state == "LA":
        return county + " Parish Sheriff's Office"
    if state == "AK":
        if county in ALASKA_POLICE:
            return ALASKA_POLICE[county]
        return "Alaska State Troopers, %s post" % county
    if state == "HI":
        return HAWAII_POLICE[county]
    if state == "CT":   # no county government or sheriffs since 1960
        return "Connecticut State Police, %s County district" % county
    if state == "RI":   # no county government; sheriffs are a state court division
        return "Rhode Island State Police, %s County district" % county
    return county + " County Sheriff's Office"


# Alaska's consolidated city-boroughs have their own police; elsewhere the Troopers police.
ALASKA_POLICE = {
    "Anchorage": "Anchorage Police Department",
    "Juneau": "Juneau Police Department",
    "Sitka": "Sitka Police Department",
    "Wrangell": "Wrangell Police Department",
    "Skagway": "Skagway Police Department",
}
# Consolidated city-counties whose police department, not a sheriff, patrols.
CITY_POLICE = {
    ("NY", "Bronx"): "New York City Police Department, Bronx",
    ("NY", "Kings"): "New York City Police Department, Brooklyn",
    ("NY", "New York"): "New York City Police Department, Manhattan",
    ("NY", "Queens"): "New York City Police Department, Queens",
    ("NY", "Richmond"): "New York City Police Department, Staten Island",
    ("PA", "Philadelphia"): "Philadelphia Police Department",
    ("CO", "Denver"): "Denver Police Department",
    ("CO", "Broomfield"): "Broomfield Police Department",
    ("LA", "Orleans"): "New Orleans Police Department",
}
# Counties whose county police department, not the sheriff, is the patrol agency.
COUNTY_POLICE = {
    ("VA", "Fairfax"): "Fairfax County Police Department",
    ("VA", "Arlington"): "Arlington County Police Department",
    ("VA", "Prince William"): "Prince William County Police Department",
    ("VA", "Henrico"): "Henrico County Police Department",
    ("VA", "Chesterfield"): "Chesterfield County Police Department",
    ("MD", "Montgomery"): "Montgomery County Police Department",
    ("MD", "Prince George's"): "Prince George's County Police Department",
    ("MD", "Baltimore"): "Baltimore County Police Department",
    ("MD", "Anne Arundel"): "Anne Arundel County Police Department",
    ("MD", "Howard"): "Howard County Police Department",
    ("NY", "Nassau"): "Nassau County Police Department",
    ("NY", "Suffolk"): "Suffolk County Police Department",
    ("MO", "St. Louis"): "St. Louis County Police Department",
    ("GA", "Gwinnett"): "Gwinnett County Police Department",
    ("GA", "Cobb"): "Cobb County Police Department",
    ("GA", "DeKalb"): "DeKalb County Police Department",
    ("GA", "Clayton"): "Clayton County Police Department",
    ("KY", "Jefferson"): "Louisville Metro Police Department",
    ("TN", "Davidson"): "Metropolitan Nashville Police Department",
    ("IN", "Marion"): "Indianapolis Metropolitan Police Department",
}
# Hawaii's counties are policed by county police departments (there are no county sheriffs).
HAWAII_POLICE = {
    "Honolulu": "Honolulu Police Department",
    "Hawaii": "Hawaii County Police Department",
    "Maui": "Maui Police Department",
    "Kauai": "Kauai Police Department",
    "Kalawao": "Maui Police Department, Kalawao district",
}


def law_enforcement_id(state, county, name):
    base = "%s-%s" % (state.lower(), slug(county))
    for marker, suffix in (("Sheriff", "-so"), ("Police Department", "-pd"),
                           ("Policía", "-pd"), ("State Troopers", "-ast"),
                           ("State Police", "-sp")):
        if marker in name:
            return base + suffix
    fail("no id suffix for %r" % name)


def row(contact_id, name, role, jurisdiction, topics, languages, hours, phone):
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", contact_id):
        fail("bad id %r" % contact_id)
    return {
        "id": contact_id, "name": name, "role": role, "jurisdiction": jurisdiction,
        "topics": topics, "languages": languages, "hours": hours, "phone": phone,
        "email": contact_id + "@example.org", "active_from": ACTIVE_FROM,
        "active_until": "", "training_data": "true",
    }


def build_law_enforcement(counties, phones):
    covered = {r["jurisdiction"] for r in read_csv(LAW_ENFORCEMENT)
               if r["role"] == "local_law_enforcement" and r["jurisdiction"].count("/") == 2}
    rows = []
    for state, county, fips in counties:
        jurisdiction = "US/%s/%s" % (state, county)
        if jurisdiction in covered:
            continue
        name = law_enforcement_name(state, county, fips)
        rows.append(row(law_enforcement_id(state, county, name), name,
                        "local_law_enforcement", jurisdiction, "",
                        LE_LANGUAGES.get(state, "en;es"), "24/7", phones.take(state)))
    return rows


def covered_provider(existing, role, jurisdiction, topics):
    """providers.csv already has this role here, for this topic (or for every topic)."""
    for r in existing:
        if r["role"] != role or r["jurisdiction"] != jurisdiction:
            continue
        have = set(filter(None, r["topics"].split(";")))
        if not have or not topics or topics in have:
            return True
    return False


def build_providers(counties, phones):
    existing = read_csv(PROVIDERS)
    county_set = {(s, c): f for s, c, f in counties}
    states = sorted({s for s, _, _ in counties})
    used_names = {r["name"] for path in (PROVIDERS, LAW_ENFORCEMENT, AGENCIES)
                  for r in read_csv(path)}
    plan = []   # (state, county or None, kind)
    for state in states:
        kinds = list(STATE_KINDS)
        if state in FORCED_MARRIAGE_STATES:
            kinds.append("forced-marriage")
        plan.extend((state, None, k) for k in kinds)
        listed = POPULOUS_COUNTIES[state]
        for i, county in enumerate(listed):
            if (state, county) not in county_set:
                fail("POPULOUS_COUNTIES[%s] lists %r, not a county of geography.csv"
                     % (state, county))
            kinds = list(COUNTY_KINDS)
            if i == 0 and state in COUNTY_LEGAL_STATES:
                kinds += ["legal", "immigration-legal"]
            plan.extend((state, county, k) for k in kinds)
    missing = set(states) - set(POPULOUS_COUNTIES)
    if missing:
        fail("no POPULOUS_COUNTIES entry for %s" % sorted(missing))

    rows = []
    for state, county, kind in plan:
        role, topics, hours, template, es_template = KINDS[kind]
        if county is None:
            jurisdiction = "US/" + state
            contact_id = "%s-%s" % (state.lower(), kind)
            template, es_template = STATE_LEVEL_TEMPLATES[kind]
        else:
            jurisdiction = "US/%s/%s" % (state, county)
            contact_id = "%s-%s-%s" % (state.lower(), slug(county), kind)
        if covered_provider(existing, role, jurisdiction, topics):
            continue
        spanish = state == "PR" and es_template is not None
        for attempt in range(100):
            p = prefix(contact_id, state, attempt)
            if p in BLOCKED_PREFIXES:
                continue
            if spanish:
                name = es_template.format(p=p, s=STATE_NAMES[state])
            else:
                name = template.format(p=p, s=STATE_NAMES[state])
            if county is not None:
                place = county_phrase(state, county, county_set[(state, county)])
                name += (" de " if spanish else " of ") + place
            if name not in used_names:
                break
        else:
            fail("could not find a free name for %s" % contact_id)
        used_names.add(name)
        rows.append(row(contact_id, name, role, jurisdiction, topics,
                        PROVIDER_LANGUAGES.get(state, "en;es"), hours, phones.take(state)))
    return rows


def render(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    w.writeheader()
    for r in sorted(rows, key=lambda r: r["id"]):
        w.writerow(r)
    return buf.getvalue()


def main():
    counties = load_geography()
    existing_ids = {r["id"] for r in other_directory_files()}
    phones = Phones()
    le = build_law_enforcement(counties, phones)
    providers = build_providers(counties, phones)
    seen = set()
    for r in le + providers:
        if r["id"] in existing_ids or r["id"] in seen:
            fail("duplicate contact id %r" % r["id"])
        seen.add(r["id"])
    check = "--check" in sys.argv[1:]
    for path, rows in ((OUT_LE, le), (OUT_PROVIDERS, providers)):
        text = render(rows)
        if check:
            with open(path, encoding="utf-8", newline="") as f:
                if f.read() != text:
                    fail("%s is out of date; run this script" % path)
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    print("county_law_enforcement.csv: %d rows; state_providers.csv: %d rows"
          % (len(le), len(providers)))


if __name__ == "__main__":
    main()
