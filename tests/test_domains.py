"""Tests for the condition language's ``domain`` and ``domain_matches``: how the domain of a
data-access destination is read (URL, e-mail address, display name, list of recipients, bare
host), the agreement of the one-value and column forms, and CONF-COMPETITOR end to end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sales_policy
from sales_policy.errors import ConditionError
from sales_policy.expr import compile_condition
from sales_policy.exprfunctions import _domain_matches, domain, domain_expr, recipient_domains
from sales_policy.exprnodes import Node

COMPETITORS = ["rival.example"]

#: destination, its domain and whether it matches COMPETITORS, worked out by hand from the
#: rules in docs/rulesets/confidentiality.md
CASES: list[tuple[str, str, bool]] = [
    # e-mail addresses
    ("bob@rival.example", "rival.example", True),
    ("Sales@Rival.Example", "rival.example", True),
    ("a@b@rival.example", "rival.example", True),
    ("bob@rival.example (Bob Li)", "rival.example", True),
    ("mailto:bob@rival.example", "rival.example", True),
    ("bob@rival.example:/srv/drop", "rival.example", True),
    # a trailing dot (a fully qualified name) is dropped
    ("x@rival.example.", "rival.example", True),
    ("rival.example.", "rival.example", True),
    # surrounding whitespace
    ("  bob@rival.example \n", "rival.example", True),
    # display names
    ("Bob Li <bob@rival.example>", "rival.example", True),
    ('"Li, Bob" <bob@rival.example>', "rival.example", True),
    ("Bob Li <bob@ok.example>", "ok.example", False),
    ("<https://files.rival.example/x>", "files.rival.example", True),
    # lists of recipients: domain() is the first, domain_matches() looks at every one
    ("bob@rival.example; ann@ok.example", "rival.example", True),
    ("ann@ok.example, bob@rival.example", "ok.example", True),
    ("ann@ok.example; Bob <bob@files.rival.example>", "ok.example", True),
    ("ann@ok.example, carl@ok2.example", "ok.example", False),
    ("; , bob@rival.example", "rival.example", True),
    ("; , ", "", False),
    ("", "", False),
    # URLs: an @ after the host is not an address
    ("https://drive.ok.example/share?notify=ann@rival.example", "drive.ok.example", False),
    ("https://ok.example/files/ann@rival.example", "ok.example", False),
    ("https://ok.example#ann@rival.example", "ok.example", False),
    ("https://ok.example/a;b,rival.example", "ok.example", False),
    ("https://user:secret@files.rival.example:8443/in?x=1", "files.rival.example", True),
    ("https://rival.example@ok.example/", "ok.example", False),
    ("HTTPS://Rival.Example", "rival.example", True),
    ("ftp://a.b.rival.example/", "a.b.rival.example", True),
    # bare hosts
    ("rival.example", "rival.example", True),
    ("rival.example:8080/path", "rival.example", True),
    ("rival.example/share?to=ann@ok.example", "rival.example", True),
    ("ok.example/share?notify=ann@rival.example", "ok.example", False),
    ("intranet", "intranet", False),
    # subdomains match; names that only end with the competitor's, or start with it, do not
    ("a.rival.example", "a.rival.example", True),
    ("ann@notrival.example", "notrival.example", False),
    ("notrival.example", "notrival.example", False),
    ("rival.example.evil.com", "rival.example.evil.com", False),
    ("bob@rival.example.evil.com", "rival.example.evil.com", False),
    ("https://rival.example.evil.com/", "rival.example.evil.com", False),
]


def matches_node(entries: list[str]) -> Node:
    """``domain_matches(s, entries)`` over a column ``s``, in both of its forms."""
    return _domain_matches(Node("str", pl.col("s"), lambda row: row["s"]), entries)


def both_forms(values: list[str | None], entries: list[str]) -> tuple[list[Any], list[Any]]:
    """``domain`` and ``domain_matches`` on each value, by polars; asserts the one-value forms
    give the same."""
    node = matches_node(entries)
    frame = pl.DataFrame({"s": values}, schema={"s": pl.String}).select(
        domain_expr(pl.col("s")).alias("domain"), node.expr.alias("matches")
    )
    domains, matches = frame["domain"].to_list(), frame["matches"].to_list()
    assert domains == [None if v is None else domain(v) for v in values]
    assert matches == [node.fn({"s": v}) for v in values]
    return domains, matches


@pytest.mark.parametrize(("destination", "expected_domain", "expected_match"), CASES)
def test_destinations_give_the_documented_domain(
    destination: str, expected_domain: str, expected_match: bool
) -> None:
    domains, matches = both_forms([destination], COMPETITORS)
    assert domains == [expected_domain]
    assert matches == [expected_match]


def test_the_table_as_one_column_through_a_compiled_condition() -> None:
    cond = compile_condition(
        "domain_matches(dest, competitor_domains)",
        {"dest": "str"},
        {"competitor_domains": ("str_list", COMPETITORS)},
    )
    rows = [{"dest": d} for d, _, _ in CASES] + [{"dest": None}]
    frame = pl.DataFrame(rows, schema={"dest": pl.String}).with_row_index("i")
    expected = [i for i, (_, _, match) in enumerate(CASES) if match]
    assert frame.filter(cond.expr)["i"].to_list() == expected
    assert [i for i, row in enumerate(rows) if cond.evaluate(row)] == expected


def test_null_destination_gives_null() -> None:
    for entries in ([], COMPETITORS):
        assert both_forms([None], entries) == ([None], [None])


def test_entries_are_read_like_domains() -> None:
    cond = compile_condition('domain_matches(dest, [" Rival.Example. "])', {"dest": "str"}, {})
    assert cond.evaluate({"dest": "bob@files.rival.example"})
    assert not cond.evaluate({"dest": "bob@notrival.example"})


def test_no_entries_match_nothing() -> None:
    _, matches = both_forms([d for d, _, _ in CASES], [])
    assert matches == [False] * len(CASES)


# --------------------------------------------------------------------------- properties

#: pieces of destinations, so that generated text reaches every branch of the reading
PIECES = [
    "https://",
    "HTTP://",
    "ftp://",
    "mailto:",
    "@",
    "<",
    ">",
    ";",
    ",",
    "/",
    "?",
    "#",
    ":",
    ".",
    '"',
    " ",
    "\t",
    "\n",
    "a",
    "B",
    "x1",
    "-",
    "rival",
    "example",
    "ok",
    "é",
]
destinations = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
    st.text(alphabet='ab.@<>;,/?#: "\t-9É', max_size=20),
)
entry_lists = st.sampled_from(
    [[], ["rival.example"], ["a", "example"], ["b.a", "ok"], ["rival.example", "x1"]]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.none() | destinations, min_size=1, max_size=8), entry_lists)
def test_python_and_polars_agree(values: list[str | None], entries: list[str]) -> None:
    both_forms(values, entries)


@given(destinations)
def test_domain_is_the_first_recipients_domain(destination: str) -> None:
    first = domain(destination)
    assert first in recipient_domains(destination)
    assert matches_node([first]).fn({"s": destination}) is True


# --------------------------------------------------------------------------- end to end

DESTINATIONS = {
    "A1": ("bob@rival.example; ann@ok.example", True),
    "A2": ("ann@ok.example, Bob Li <bob@files.rival.example>", True),
    "A3": ("Bob Li <bob@rival.example>", True),
    "A4": ('"Li, Bob" <bob@rival.example>', True),
    "A5": ("x@rival.example.", True),
    "A6": ("https://drive.ok.example/share?notify=ann@rival.example", False),
    "A7": ("drive.ok.example/share?notify=ann@rival.example", False),
    "A8": ("ann@notrival.example", False),
}


def test_conf_competitor_reads_recipient_lists_display_names_and_urls() -> None:
    """Approved sends of customer data to external destinations: only a competitor among the
    recipients makes one a finding, and that finding is CONF-COMPETITOR."""
    records = [
        {
            "type": "data_access",
            "record_id": record_id,
            "employee_id": "E1",
            "at": "2026-11-02T10:00:00+08:00",
            "customer_id": "C1",
            "data_class": "customer",
            "action": "email",
            "record_count": 3,
            "destination": destination,
            "destination_kind": "external",
            "approved": True,
        }
        for record_id, (destination, _) in DESTINATIONS.items()
    ]
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    policy = sales_policy.load_policy()
    result = policy.with_params(competitor_domains=COMPETITORS).check(records, start, end)
    assert result.counts.rejected == 0
    found = sorted((f.rule_id, f.evidence["record_id"]) for f in result)
    expected = sorted(("CONF-COMPETITOR", r) for r, (_, hit) in DESTINATIONS.items() if hit)
    assert found == expected
    assert [f.rule_id for f in policy.check(records, start, end)] == []


def test_what_the_shipped_rules_leave_to_a_company_is_as_the_docs_say(tmp_path: Any) -> None:
    """docs/rulesets/confidentiality.md: an unapproved e-mail of many customer records to a
    destination of no recorded kind, and internal data sent to a competitor, are no finding
    of the shipped rules; the conditions the docs give a company find them."""
    access = {
        "type": "data_access",
        "record_id": "A1",
        "employee_id": "E1",
        "at": "2026-11-03T10:00:00+08:00",
        "data_class": "customer",
        "action": "email",
        "record_count": 100_000,
        "approved": False,
    }
    leak = {**access, "record_id": "A2", "data_class": "internal", "record_count": 3}
    leak |= {"destination_kind": "competitor"}
    day = dt.date(2026, 11, 3)
    assert list(sales_policy.load_policy().check([access, leak], day, day)) == []
    (tmp_path / "ours.yaml").write_text(
        "ruleset: company\ntitle: {zh: 公司, en: Company}\nfacts: data_access\nrules:\n"
        + "".join(
            f"  - id: CO-{name}\n    title: {{zh: 甲, en: A}}\n    clauses: ['4.1']\n"
            f"    severity: major\n    when: >-\n      {when}\n    evidence: [record_id]\n"
            "    message: {zh: '甲', en: 'a'}\n"
            for name, when in (
                ("LARGE-SEND", "sent and record_count > bulk_export_limit and not approved"),
                (
                    "COMPETITOR",
                    'sent and (destination_kind == "competitor" or '
                    "domain_matches(destination, competitor_domains))",
                ),
            )
        ),
        encoding="utf-8",
    )
    (tmp_path / "policy.yaml").write_text("rule_files: [ours.yaml]\n", encoding="utf-8")
    company = sales_policy.load_policy(tmp_path / "policy.yaml")
    found = {(f.rule_id, f.evidence["record_id"]) for f in company.check([access, leak], day, day)}
    assert found == {("CO-LARGE-SEND", "A1"), ("CO-COMPETITOR", "A2")}


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            "*.rival.example",
            "holds '*': write the domain alone (rival.example): its subdomains match too",
        ),
        ("@rival.example", "is an e-mail address: write its domain alone (rival.example)"),
        ("bob@rival.example", "is an e-mail address: write its domain alone (rival.example)"),
        ("https://rival.example/", "is a URL: write its domain alone (rival.example)"),
        ("rival.example/share", "is a URL: write its domain alone (rival.example)"),
        (" . ", "is empty"),
        (
            "rival..example",
            "is not a domain like rival.example (letters, digits, - and _ between dots)",
        ),
        (
            "rival example",
            "is not a domain like rival.example (letters, digits, - and _ between dots)",
        ),
    ],
)
def test_a_competitor_domain_that_could_match_nothing_is_refused(
    tmp_path: Any, entry: str, problem: str
) -> None:
    """``*.rival.example`` or ``@rival.example`` would never equal a destination's domain:
    CONF-COMPETITOR would stay silent.  Refused where it is written: in a policy file at its
    line, in ``with_params``, and in a condition's own list at its place."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(f"params:\n  competitor_domains:\n    - ok.example\n    - {entry!r}\n")
    with pytest.raises(sales_policy.PolicyError) as caught:
        sales_policy.load_policy(policy)
    assert caught.value.line == 2
    assert caught.value.message.startswith(f"params: competitor_domains: {entry!r} {problem}")
    with pytest.raises(sales_policy.InvalidArgument, match="competitor_domains: "):
        sales_policy.load_policy().with_params(competitor_domains=[entry])
    with pytest.raises(ConditionError) as wrong:
        compile_condition(f"domain_matches(dest, ['ok.example', {entry!r}])", {"dest": "str"}, {})
    assert wrong.value.message == f"domain_matches(): {entry!r} {problem}"
    assert wrong.value.offset == len("domain_matches(dest, ['ok.example', ")


@pytest.mark.parametrize(
    "entry", ["rival.example", "Rival.Example.", "a", "xn--fiqs8s.cn", "中国.cn", "my_host-1"]
)
def test_domains_of_every_shape_a_destination_has_are_taken(entry: str) -> None:
    assert sales_policy.load_policy().with_params(competitor_domains=[entry])


def test_a_parameter_of_domains_is_declared_so(tmp_path: Any) -> None:
    """``form: domain`` makes a company's own list of domains checked like
    competitor_domains; it is for text parameters only, and the default must be of it."""
    base = (
        "ruleset: company\ntitle: {zh: 公司, en: Company}\nfacts: data_access\nparams:\n"
        "  partner_domains: {type: str_list, default: [], form: domain, doc: {zh: 伙伴, en: p}}\n"
        "rules:\n  - id: CO-PARTNER\n    title: {zh: 甲, en: A}\n    clauses: ['4.1']\n"
        "    severity: info\n    when: domain_matches(destination, partner_domains)\n"
        "    message: {zh: '甲', en: 'a'}\n"
    )
    (tmp_path / "policy.yaml").write_text(
        "rule_files: [ours.yaml]\nparams: {partner_domains: ['*.partner.example']}\n"
    )
    for text, line, message in (
        (base, 2, "params: partner_domains: '*.partner.example' holds '*'"),
        (base.replace("default: []", "default: ['@p.example']"), 5, "default: partner_domains:"),
        (base.replace("type: str_list", "type: int"), 5, "form: domain is for str and str_list"),
        (base.replace("form: domain", "form: email"), 5, "form 'email' (expected one of: domain)"),
    ):
        (tmp_path / "ours.yaml").write_text(text, encoding="utf-8")
        with pytest.raises((sales_policy.PolicyError, sales_policy.RuleFileError)) as caught:
            sales_policy.load_policy(tmp_path / "policy.yaml")
        assert caught.value.line == line, str(caught.value)
        assert message in caught.value.message
