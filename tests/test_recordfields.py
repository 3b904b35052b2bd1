"""Record types as files see them: a snapshot of what the models derive, read without pydantic."""

from __future__ import annotations

import json

from sales_policy import recordfields, records

UPDATE = "python -c 'from sales_policy.records import write_record_fields as w; w()'"


def test_the_snapshot_is_what_the_models_give() -> None:
    """Every record type, in the models' order, with its file names and every attribute of
    every field: a changed model fails here until write_record_fields() takes it in."""
    models = records.record_types_from_models()
    shipped = json.loads(recordfields.RECORD_FIELDS.read_text(encoding="utf-8"))
    assert list(shipped) == list(records.RECORD_MODELS), f"record types differ: run {UPDATE}"
    assert shipped == recordfields.record_types_to_json(models), f"fields differ: run {UPDATE}"
    assert recordfields.record_types_from_json(shipped) == models
    assert recordfields.record_types() == tuple(records.RECORD_MODELS)
    for name, model in records.RECORD_MODELS.items():
        assert recordfields.fields_of(name) == models[name].fields
        for stem in (name, *model.file_names):
            assert recordfields.record_type_for_name(stem) == name


def test_file_stems_name_record_types() -> None:
    """Case and hyphens do not matter; a stem that names no type gives None."""
    assert recordfields.record_type_for_name("Leave-Requests") == "leave_request"
    assert recordfields.record_type_for_name("visits") == "customer_visit"
    assert recordfields.record_type_for_name("punch_log") is None
