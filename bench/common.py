"""Helpers for the benchmarks: build large reports from real report text, measure runs."""

from __future__ import annotations

import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DATA = Path(__file__).resolve().parent / "data"


def real_paragraphs() -> list[str]:
    """Paragraph-sized chunks of real State Department report text from the shared corpus."""
    from comparer.api import read_report

    paras: list[str] = []
    for path in sorted(CORPUS.glob("*/state-dept-202*.txt")):
        paras += [p.text for p in read_report(path).paragraphs() if len(p.text.split()) >= 25]
    if not paras:
        sys.exit(f"no corpus text under {CORPUS}")
    return paras


def build_report(words: int, seed: int = 1) -> str:
    """A report of about `words` words: numbered sections of real paragraphs."""
    rng = random.Random(seed)
    pool = real_paragraphs()
    out: list[str] = ["Synthetic Country 2024 Human Rights Report", ""]
    count, section = 0, 0
    while count < words:
        section += 1
        out += [f"Section {section}. Topic Number {section}", ""]
        for _ in range(rng.randint(6, 14)):
            para = rng.choice(pool)
            out += [para, ""]
            count += len(para.split())
    return "\n".join(out)


def edit_report(text: str, seed: int = 2) -> str:
    """Apply real editing operations to `text`: numbers, rewording, moves, deletions, insertions."""
    rng = random.Random(seed)
    blocks = text.split("\n\n")
    body = [i for i, b in enumerate(blocks) if len(b.split()) > 20]
    for i in rng.sample(body, len(body) // 20):  # number changes
        blocks[i] = re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 1), blocks[i], count=1)
    for i in rng.sample(body, len(body) // 20):  # rewording
        words = blocks[i].split()
        k = rng.randrange(len(words))
        words[k : k + 3] = ["reportedly", "continued", "to"]
        blocks[i] = " ".join(words)
    moved = rng.sample(body, len(body) // 50)  # moves to elsewhere
    for i in sorted(moved, reverse=True):
        para = blocks.pop(i)
        blocks.insert(rng.randrange(len(blocks)), para)
    for _ in range(len(body) // 50):  # deletions
        blocks.pop(rng.randrange(len(blocks)))
    for _ in range(len(body) // 50):  # insertions
        blocks.insert(
            rng.randrange(len(blocks)), "The government announced a new program during the year. " * 3
        )
    return "\n\n".join(blocks)


def timed_cpu(cmd: list[str]) -> tuple[float, float, float]:
    """Run `cmd`; return wall seconds, CPU seconds (user + system, workers included) and the
    peak RSS in MB of its largest process. CPU time says more than wall time on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, peak = timed(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run `cmd`; return wall seconds and the peak RSS in MB of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024
