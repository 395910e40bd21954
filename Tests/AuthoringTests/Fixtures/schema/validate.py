#!/usr/bin/env python3
"""Validates YAML files against JSON Schemas with the reference validator (SchemaTests).

usage: validate.py [--coverage] --schema SCHEMA FILE... [--schema SCHEMA FILE...]

Each schema is first checked against its own dialect (draft 2020-12). The YAML is read as
YAML 1.2 (what VS Code's YAML extension reads): an unquoted 12:00 is text, `no` is text.
Prints one JSON object: {"files": {FILE: [{"path": "/topics/0", "message": ...}]},
"unused": [SCHEMA#/pointer/to/property, ...]} ("unused" with --coverage: properties that
no file used). Exit 0 when every file is valid, 1 when some is not, 2 for a bad schema or
usage, 3 when jsonschema or PyYAML is missing.
"""
import json
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:
    print(f"validate.py: {error} ({sys.executable})", file=sys.stderr)
    sys.exit(3)


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema's implicit types."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(pattern),
                                       list(first))


def construct_int(loader, node):
    value = loader.construct_scalar(node)
    return int(value, 0) if value.startswith(("0o", "0x")) else int(value)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)


def declared(schema, pointer=""):
    """Every (pointer of a properties/patternProperties object, key) the schema declares,
    leaving out the conditions of if/then/not (they constrain, they do not declare)."""
    found = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("if", "then", "else", "not"):
                continue
            here = f"{pointer}/{key}"
            if key in ("properties", "patternProperties") and isinstance(value, dict):
                found += [(here, name) for name in value]
                for name, sub in value.items():
                    found += declared(sub, f"{here}/{name}")
            else:
                found += declared(value, here)
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            found += declared(item, f"{pointer}/{index}")
    return found


def walk(root, schema, pointer, instance, used):
    """Records which declared properties the instance uses."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        target = schema["$ref"][1:]
        sub = root
        for part in target.strip("/").split("/"):
            sub = sub[part]
        walk(root, sub, target, instance, used)
    for key in ("anyOf", "allOf", "oneOf"):
        for index, sub in enumerate(schema.get(key, [])):
            walk(root, sub, f"{pointer}/{key}/{index}", instance, used)
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        for name, value in instance.items():
            if name in properties:
                used.add((f"{pointer}/properties", name))
                walk(root, properties[name], f"{pointer}/properties/{name}", value, used)
            for pattern, sub in patterns.items():
                if re.search(pattern, str(name)):
                    used.add((f"{pointer}/patternProperties", pattern))
                    walk(root, sub, f"{pointer}/patternProperties/{pattern}", value, used)
    if isinstance(instance, list) and "items" in schema:
        for item in instance:
            walk(root, schema["items"], f"{pointer}/items", item, used)


def main(arguments):
    coverage = "--coverage" in arguments
    arguments = [each for each in arguments if each != "--coverage"]
    if not arguments or arguments[0] != "--schema":
        print(__doc__, file=sys.stderr)
        return 2
    results, unused, schema, name, used, runs = {}, [], None, None, set(), []
    for argument in arguments + ["--schema"]:
        if argument == "--schema":
            if schema is not None:
                runs.append((name, schema, used))
            schema, name, used = None, None, set()
            continue
        if name is None and schema is None and argument.endswith(".json"):
            name = argument
            with open(argument, encoding="utf-8") as file:
                schema = json.load(file)
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as error:
                print(f"validate.py: {argument} is not a valid draft 2020-12 schema: "
                      f"{error.message}", file=sys.stderr)
                return 2
            validator = jsonschema.Draft202012Validator(schema)
            continue
        with open(argument, encoding="utf-8") as file:
            document = yaml.load(file, Loader=Yaml12Loader)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
        results[argument] = [
            {"path": "/" + "/".join(str(part) for part in error.absolute_path),
             "message": error.message}
            for error in errors
        ]
        walk(schema, schema, "", document, used)
    for name, schema, used in runs:
        if coverage:
            unused += [f"{name}#{pointer}/{key}" for pointer, key in declared(schema)
                       if (pointer, key) not in used]
    print(json.dumps({"files": results, "unused": unused}, indent=1, sort_keys=True))
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
