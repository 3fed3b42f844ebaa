"""Validates TOML files against a JSON Schema, as an editor would.

Usage: python3 validate.py SCHEMA.json FILE.toml...
Prints one line per file: its path and the number of errors, then the
errors. TOML dates become ISO strings, as editors (taplo) pass them.
"""

import datetime
import json
import sys
import tomllib

from jsonschema import Draft202012Validator


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return value


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            data = plain(tomllib.load(f))
        errors = list(validator.iter_errors(data))
        print(f"{path} {len(errors)}")
        for error in errors:
            print(f"    {'.'.join(map(str, error.absolute_path))}: {error.message}")


main()
