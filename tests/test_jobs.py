"""`track`'s compare jobs: a country's pairs together, each report read once per job."""

from __future__ import annotations

from pathlib import Path

import pytest

from comparer import api, tasks
from comparer.cache import unpack
from comparer.model import Entry, Pair
from comparer.track import MAX_PAIRS_PER_JOB, _jobs, _members, _plan
from tests.conftest import NK


def _entry(country: str, publisher: str, year: int) -> Entry:
    report_id = f"{country}/{publisher}-{year}"
    return Entry(report_id, f"{report_id}.txt", "0" * 64, country, publisher, year + 1, year, report_id, 100, {})


def _collection(countries: int, years: int) -> list[Pair]:
    by_country = {
        f"C{c}": sorted(
            (_entry(f"C{c}", p, 2000 + y) for p in ("amnesty", "hrw", "state") for y in range(years)),
            key=lambda e: (e.covers or 0, e.publisher, e.id),
        )
        for c in range(countries)
    }
    return _plan(by_country)


@pytest.mark.parametrize(("countries", "years", "slots"), [(1, 3, 1), (3, 10, 2), (70, 10, 2), (2, 40, 8)])
def test_each_pair_in_one_job_of_one_country(countries: int, years: int, slots: int) -> None:
    pairs = _collection(countries, years)
    jobs = _jobs(pairs, slots)
    assert sorted(k for job in jobs for k in job) == list(range(len(pairs)))  # once each
    assert all(len({pairs[k].old.country for k in job}) == 1 for job in jobs)
    assert all(0 < len(job) <= MAX_PAIRS_PER_JOB for job in jobs)
    assert len(jobs) >= min(len(pairs), 4 * slots) or len(jobs) >= countries  # every worker has several
    assert _jobs(list(pairs), slots) == jobs  # the same grouping every time


def test_a_job_of_one_country_reads_each_report_once() -> None:
    pairs = _collection(1, 10)  # 57 pairs of 30 reports
    entries, indexes = _members(pairs)
    assert len(entries) == 30 and len({e.id for e in entries}) == 30
    assert [(entries[a].id, entries[b].id) for a, b in indexes] == [(p.old.id, p.new.id) for p in pairs]
    # split for two workers, a country's jobs read few reports more than once
    jobs = _jobs(_collection(8, 10), 2)
    assert len(jobs) == 8
    reads = sum(len(_members([_collection(8, 10)[k] for k in job])[0]) for job in jobs)
    assert reads == 8 * 30


def test_compare_pairs_reads_each_source_once_and_says_which_pair_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = api.report_from_bytes

    def counting(data: bytes, **kwargs: object) -> object:
        reads.append(str(kwargs["name"]))
        return real(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "report_from_bytes", counting)
    missing = tmp_path / "missing.txt"
    sources = [
        tasks.Source(str(NK / name), name, None) for name in ("hrw-2014.txt", "hrw-2019.txt", "hrw-2020.txt")
    ] + [tasks.Source(str(missing), "missing", None)]
    results = tasks.compare_pairs(sources, [(0, 1), (1, 2), (0, 2), (2, 3)], ())
    assert sorted(reads) == sorted(s.name for s in sources[:3])  # the missing file is never read
    pages = [unpack(r["page"]) for r in results[:3] if isinstance(r, dict)]
    assert all(page is not None and page.startswith("<!DOCTYPE html>") for page in pages) and len(pages) == 3
    assert isinstance(results[3], str) and "missing.txt" in results[3]
    one = tasks.compare_pair(sources[0], sources[1], ())
    assert one == results[0]  # the same page as a job of one pair


def test_compare_jobs_take_reports_as_read_and_give_the_same_page(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ("hrw-2019.txt", "hrw-2020.txt")
    plain = [tasks.Source(str(NK / name), name, None) for name in names]
    read = [tasks.read_report(s, keep=True) for s in plain]
    assert all(not isinstance(r, str) and r[3] is not None for r in read)
    assert not isinstance(read[0], str) and tasks.read_report(plain[0])[3] is None  # type: ignore[index]
    shipped = [
        tasks.Source(s.name, s.report_id, None, None, r[2], r[3])  # type: ignore[index]
        for s, r in zip(plain, read, strict=True)
    ]
    assert tasks.unpack_report(shipped[0].parsed or b"") == plain[0].read()

    def no_reading(*args: object, **kwargs: object) -> object:
        raise AssertionError("a report shipped as read is read again")

    expected = tasks.compare_pair(plain[0], plain[1], ())
    monkeypatch.setattr(api, "report_from_bytes", no_reading)
    assert tasks.compare_pair(shipped[0], shipped[1], ()) == expected
