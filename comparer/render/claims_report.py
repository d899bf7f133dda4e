"""Outputs of `comparer facts` and `comparer check`: text, JSON, CSV, Markdown and HTML."""

from __future__ import annotations

import csv
import io
from typing import Any

from comparer.model import Claim, Fact, Report
from comparer.render.json_report import dumps, fact_value, report_dict
from comparer.render.markdown_report import escape_markdown

FACTS_SCHEMA = "comparer/facts@1"


def _value(fact: Fact) -> Any:
    data = fact_value(fact)
    return data["value"] if data else None


def facts_data(
    reports: list[Report], claims: list[Claim], *, words: dict[str, int] | None = None
) -> dict[str, Any]:
    """The `comparer/facts@1` document; `words` gives the counts of reports known from a cache."""
    return {
        "schema": FACTS_SCHEMA,
        "reports": [
            report_dict(r) | {"covers": r.metadata.covers} | ({"words": words[r.id]} if words else {})
            for r in reports
        ],
        "claims": [
            {
                "id": c.id,
                "subject": c.subject,
                "kind": c.kind,
                "consistent": c.consistent,
                "status": c.status,
                "values": [
                    {
                        "report": r.id,
                        "value": _value(f),
                        "text": f.text,
                        "sentence": f.sentence,
                        "covers": r.metadata.covers,
                    }
                    for r, f in c.values
                ],
            }
            for c in claims
        ],
    }


def render_json(reports: list[Report], claims: list[Claim], *, words: dict[str, int] | None = None) -> str:
    """Claims as `comparer/facts@1` JSON (`words`: see `facts_data`)."""
    return dumps(facts_data(reports, claims, words=words))


def render_csv(reports: list[Report], claims: list[Claim]) -> str:
    """One row per value of each claim."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["claim", "subject", "kind", "status", "report", "covers", "value", "text", "sentence"])
    for c in claims:
        for r, f in c.values:
            row = [c.id, c.subject, c.kind, c.status, r.id, r.metadata.covers or "", _plain(f), f.text, f.sentence]
            writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: a leading quote before = + - @)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(fact: Fact) -> str:
    """A value as spreadsheet text: 12, 80000-120000, 14|15|16."""
    value = _value(fact)
    if isinstance(value, list):
        sep = (
            "-"
            if fact.kind in ("range", "count", "percent")
            and len(value) == 2
            and all(isinstance(v, int | float) for v in value)
            else "|"
        )
        return sep.join(str(v) for v in value)
    return str(value)


def _order(claims: list[Claim]) -> list[Claim]:
    rank = {"conflict": 0, "changed": 1, "consistent": 2}
    return sorted(claims, key=lambda c: (rank[c.status], c.id))


def render_text(reports: list[Report], claims: list[Claim]) -> str:
    """A table for terminals: conflicts first, then changes, then agreements."""
    lines = [f"{len(reports)} reports, {len(claims)} claims stated by two or more of them", ""]
    for c in _order(claims):
        lines.append(f"[{c.status}] {c.id} {c.subject} ({c.kind})")
        for r, f in c.values:
            covers = f" covers {r.metadata.covers}" if r.metadata.covers else ""
            lines.append(f"    {r.id}{covers}: {f.text}  | {f.sentence[:140]}")
    return "\n".join(lines) + "\n"


def render_check(claims: list[Claim], *, fail_on: str) -> str:
    """Markdown list of the claims `fail_on` asks about ("conflicts" or "changes")."""
    wanted = {"conflict"} if fail_on == "conflicts" else {"conflict", "changed"}
    hits = [c for c in _order(claims) if c.status in wanted]
    if not hits:
        return f"No {'conflicts' if fail_on == 'conflicts' else 'changes or conflicts'} among {len(claims)} linked claims.\n"
    lines = [
        f"## comparer check: {len(hits)} claim{'s' if len(hits) != 1 else ''} {'in conflict' if fail_on == 'conflicts' else 'changed or in conflict'}",
        "",
    ]
    for c in hits:
        values = "; ".join(f"{escape_markdown(r.id)}: **{escape_markdown(f.text)}**" for r, f in c.values)
        lines.append(f"- {c.status}: {escape_markdown(c.subject)} ({c.kind}) — {values}")
    return "\n".join(lines) + "\n"
