"""The pages of a tracked collection: an index of countries, and per country a topics x reports heat map."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from comparer.model import Entry, Pair, SiteResult, slug
from comparer.topics import taxonomy, topic_label

HEAT_STEPS = 5  # shades of the heat map

# What a heat-map cell can say, with its legend text (the page shows every state it uses).
CELL_STATES: dict[str, tuple[str, str]] = {
    "first": ("●", "first edition in the collection: words on the topic"),
    "new": ("★ new", "new topic: not covered by the previous edition"),
    "changed": ("N%", "share of the topic's passages changed since the previous edition (darker: more)"),
    "same": ("0%", "covered, nothing changed since the previous edition"),
    "dropped": ("✕ dropped", "dropped: covered by the previous edition, not by this one"),
    "none": ("—", "not covered"),
}


def _previous_pairs(pairs: list[Pair]) -> dict[str, Pair]:
    """Each report's comparison with its previous edition (the first planned), by report id.

    Looked up once per page: a scan of every pair for every heat-map cell grew with the square
    of the collection (minutes at 2,000 reports).
    """
    found: dict[str, Pair] = {}
    for p in pairs:
        if p.kind == "year over year":
            found.setdefault(p.new.id, p)
    return found


def _cell(entry: Entry, topic: str, result: SiteResult, previous: Pair | None) -> dict[str, Any]:
    before = previous is not None and topic in previous.old.topics
    if topic not in entry.topics:
        state = "dropped" if before else "none"
        return {
            "state": state,
            "href": previous.page if previous and before else None,
            "since": _since(previous),
        }
    words = entry.topics[topic]
    if previous is None:
        return {"state": "first", "words": words}
    if not before:
        return {"state": "new", "words": words, "href": previous.page, "since": _since(previous)}
    counts = result.pair_stats[previous.page].topics.get(topic, {})
    total = sum(counts.values())
    changed = total - counts.get("unchanged", 0)
    ratio = changed / total if total else 0.0
    return {
        "state": "changed" if changed else "same",
        "words": words,
        "ratio": round(ratio * 100),
        "heat": min(HEAT_STEPS, max(1, round(ratio * HEAT_STEPS))) if changed else 0,
        "href": previous.page,
        "since": _since(previous),
    }


def _since(pair: Pair | None) -> str:
    return pair.old.id if pair else ""


def _pair_view(pair: Pair, result: SiteResult) -> dict[str, Any]:
    stats = result.pair_stats[pair.page]
    return {
        "kind": pair.kind,
        "old": pair.old,
        "new": pair.new,
        "href": pair.page,
        "changed": stats.n_changed,
        "facts": stats.facts_changed,
    }


def country_view(country: str, members: list[Entry], result: SiteResult) -> dict[str, Any]:
    """What the country page and its line on the index show."""
    topics = iter_topics(members)
    own = [p for p in result.pairs if p.old.country == country]
    previous = _previous_pairs(own)
    cells = {t: [_cell(e, t, result, previous.get(e.id)) for e in members] for t in topics}
    rows = [{"topic": topic_label(t), "cells": cells[t]} for t in topics]
    pairs = [_pair_view(p, result) for p in own]
    years = sorted({e.covers for e in members if e.covers is not None})
    used = {c["state"] for t in topics for c in cells[t]}
    return {
        "name": country,
        "slug": slug(country),
        "reports": members,
        "rows": rows,
        "pairs": pairs,
        "years": f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—"),
        "publishers": sorted({e.publisher for e in members}),
        "changed": sum(p["changed"] for p in pairs),
        "facts": sum(p["facts"] for p in pairs),
        "conflicts": len(result.conflicts.get(country, [])),
        "changed_claims": result.changed_claims.get(country, 0),
        "legend": [(state, *CELL_STATES[state]) for state in CELL_STATES if state in used],
    }


def iter_topics(entries: Iterable[Entry]) -> list[str]:
    """Topics covered by `entries`, in taxonomy order."""
    present = {t for e in entries for t in e.topics}
    return [t.id for t in taxonomy() if t.id in present]


def render_index(by_country: dict[str, list[Entry]], result: SiteResult, *, version: str) -> str:
    """Render the site's index page: one line per country with its counts."""
    from comparer.render.html_report import environment, valid_text

    countries = [country_view(c, members, result) for c, members in sorted(by_country.items())]
    template = environment().get_template("index.html.j2")
    return valid_text(
        template.render(
            countries=countries,
            version=version,
            generated_at=None,
            links=(),
            n_reports=len(result.entries),
            failures=result.failures,
        )
    )


def render_country(country: str, members: list[Entry], result: SiteResult, *, version: str) -> str:
    """Render one country's page (`<slug>/index.html`): heat map, legend, comparisons."""
    from comparer.render.html_report import environment, valid_text

    template = environment().get_template("country.html.j2")
    links = (("All countries", "../index.html"), (f"{country}: facts", "facts.html"))
    return valid_text(
        template.render(
            c=country_view(country, members, result), version=version, generated_at=None, links=links
        )
    )
