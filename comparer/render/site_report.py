"""The index page of a tracked collection: per country, a topics x reports heat map."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from comparer.topics import topic_label

if TYPE_CHECKING:
    from comparer.track import Entry, SiteResult

HEAT_STEPS = 5  # shades of the heat map


def _cell(entry: Entry, topic: str, result: SiteResult, country_slug: str) -> dict[str, Any]:
    if topic not in entry.topics:
        return {"covered": False}
    previous = next((p for p in result.pairs if p.kind == "year over year" and p.new.id == entry.id), None)
    if previous is None:
        return {"covered": True, "first": True, "words": entry.topics[topic]}
    counts = result.pair_stats[previous.page]["topics"].get(topic, {})
    total = sum(counts.values())
    changed = total - counts.get("unchanged", 0)
    ratio = changed / total if total else 0.0
    return {
        "covered": True,
        "first": False,
        "words": entry.topics[topic],
        "ratio": round(ratio * 100),
        "heat": min(HEAT_STEPS, round(ratio * HEAT_STEPS)),
        "href": f"{country_slug}/{previous.page}",
        "since": previous.old.id,
    }


def render_index(by_country: dict[str, list[Entry]], result: SiteResult, *, version: str) -> str:
    """Render the site's index page."""
    from comparer.render.html_report import environment
    from comparer.track import _slug, iter_topics

    countries = []
    for country, members in sorted(by_country.items()):
        slug = _slug(country)
        topics = iter_topics(members)
        pairs = [p for p in result.pairs if p.old.country == country]
        countries.append(
            {
                "name": country,
                "slug": slug,
                "reports": members,
                "rows": [
                    {"topic": topic_label(t), "cells": [_cell(e, t, result, slug) for e in members]}
                    for t in topics
                ],
                "pairs": [
                    {
                        "kind": p.kind,
                        "old": p.old,
                        "new": p.new,
                        "href": f"{slug}/{p.page}",
                        "changed": sum(
                            n
                            for t in result.pair_stats[p.page]["topics"].values()
                            for s, n in t.items()
                            if s != "unchanged"
                        ),
                        "facts": result.pair_stats[p.page].get("facts_changed", 0),
                    }
                    for p in pairs
                ],
                "conflicts": len(result.conflicts.get(country, [])),
                "changed_claims": result.changed_claims.get(country, 0),
            }
        )
    template = environment().get_template("index.html.j2")
    return template.render(
        countries=countries,
        version=version,
        generated_at=None,
        links=(),
        n_reports=len(result.entries),
        failures=result.failures,
    )
