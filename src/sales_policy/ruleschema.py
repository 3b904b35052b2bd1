"""The JSON Schema of rule files, which ``sales-policy schema rules`` prints: a rule file's
parameters and rules, and its ``scoring:`` section.  Rule files are read and checked by
:mod:`sales_policy.rulefile` (and the section by :mod:`sales_policy.scorecard`); the schema
says the same shape for editors and other tools."""

from __future__ import annotations

from typing import Any

from .facts.schema import FACT_TABLES
from .handbook import CLAUSES
from .rulesets import (
    GROUP_NAME,
    PARAM_FORMS,
    PARAM_NAME,
    PARAM_TYPES,
    RULE_ID,
    RULESET_NAME,
    SEVERITIES,
)
from .scorecard import INDICATORS, KEYS, OPTIONAL, SEVERITY_NAMES, TARGETED


def rule_file_json_schema() -> dict[str, Any]:
    """JSON Schema of a rule file (published by ``sales-policy schema rules``)."""
    text = {
        "type": "object",
        "required": ["zh", "en"],
        "additionalProperties": False,
        "properties": {
            "zh": {"type": "string", "minLength": 1},
            "en": {"type": "string", "minLength": 1},
        },
    }
    names = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    param = {
        "type": "object",
        "required": ["type", "default", "doc"],
        "additionalProperties": False,
        "properties": {
            "type": {"enum": list(PARAM_TYPES)},
            "default": {},
            "min": {"type": "number"},
            "max": {"type": "number"},
            "at_most": {"type": "string"},
            "form": {"enum": list(PARAM_FORMS)},
            "places": {"type": "integer", "minimum": 0, "maximum": 12},
            "doc": text,
        },
    }
    rule = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "title", "severity", "when", "message"],
        "properties": {
            "id": {"type": "string", "pattern": RULE_ID.pattern},
            "title": text,
            "clauses": {"type": "array", "items": {"enum": list(CLAUSES)}, "uniqueItems": True},
            "references": {
                "type": "array",
                "items": {"oneOf": [{"type": "string", "minLength": 1}, text]},
                "description": "other sources than the handbook: a text for both languages, "
                "or {zh: ..., en: ...}",
            },
            "severity": {"enum": list(SEVERITIES)},
            "facts": {"enum": list(FACT_TABLES)},
            "when": {"type": "string", "description": "a condition; see docs/rule-files.md"},
            "evidence": names,
            "sources": names,
            "message": text,
            "pending": {
                "type": "string",
                "description": "a condition marking fact rows whose window is still open",
            },
            "exclusive_group": {"type": "string", "pattern": GROUP_NAME.pattern},
            "counts": {
                "type": "array",
                "items": {"type": "string", "pattern": RULE_ID.pattern},
                "uniqueItems": True,
                "description": "rule ids whose findings a finding_month rule counts",
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sales_policy rule file",
        "type": "object",
        "additionalProperties": False,
        "required": ["ruleset", "title", "rules"],
        "properties": {
            "ruleset": {"type": "string", "pattern": RULESET_NAME.pattern},
            "title": text,
            "facts": {"enum": list(FACT_TABLES)},
            "params": {
                "type": "object",
                "propertyNames": {"pattern": PARAM_NAME.pattern},
                "additionalProperties": param,
            },
            "rules": {"type": "array", "items": rule},
            "scoring": scoring_json_schema(),
        },
    }


def scoring_json_schema() -> dict[str, Any]:
    """JSON Schema of the ``scoring:`` section (part of the rule-file schema)."""
    number = {"oneOf": [{"type": "number"}, {"type": "string", "description": "a parameter"}]}
    text = {"type": "string", "minLength": 1}

    def names(choices: tuple[str, ...], required: bool = False) -> dict[str, Any]:
        mapping = {"type": "object", "propertyNames": {"enum": list(choices)}}
        return mapping | {"additionalProperties": number, "required": list(choices) * required}

    special: dict[str, Any] = {
        "weights": names(INDICATORS),
        "targets": names(TARGETED),
        "points": names(SEVERITY_NAMES, required=True),
        "basis": {"enum": list(INDICATORS)},
        "requires": {"type": "array", "items": {"enum": list(INDICATORS)}, "uniqueItems": True},
        "min_severity": {"enum": list(SEVERITY_NAMES)},
        "rulesets": {"type": "array", "items": text},
        "employed_to_end": {
            "oneOf": [{"type": "boolean"}, {"type": "string", "description": "a parameter"}]
        },
        **dict.fromkeys(("grade", "tier", "min_grade"), text),
    }
    lists = {"grades": "grade", "tiers": "tier", "blocked_by": "blocked_by"}

    def shape(name: str) -> dict[str, Any]:
        properties = {
            key: special.get(key)
            or ({"type": "array", "items": shape(lists[key])} if key in lists else None)
            or (shape(key) if name == "scoring" and key in KEYS else number)
            for key in KEYS[name]
        }
        required = [key for key in KEYS[name] if key not in OPTIONAL]
        return {
            "type": "object",
            "additionalProperties": False,
            "required": required,
            "properties": properties,
        }

    return shape("scoring")
