"""Twenty students at once on the demo data: each session opens every student page and searches
the quote wall (`insights.bench.load`, which the benchmark times); none meets an error, and the
server's memory stays bounded: a second wave of sessions adds next to nothing to the first's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from insights.bench import load
from tests.browser.conftest import serve_server

SESSIONS = 20
MEMORY_PER_SESSION_MB = 15  # far below a copy of the model per session
SECOND_WAVE_GROWTH_MB = 60


@pytest.fixture(scope="module")
def server(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[load.Server]:
    workdir = tmp_path_factory.mktemp("load")
    database = workdir / "insights.sqlite"
    shutil.copy(demo_db_template, database)
    with serve_server(database, workdir) as serving:
        yield serving


def test_twenty_students_at_once_meet_no_error_and_the_memory_stays_bounded(server: load.Server) -> None:
    load.run_walks(server.url, 1)  # the first visitor after start loads the shared model
    before = load.memory_mb(server.pid)["rss"]

    first = load.run_walks(server.url, SESSIONS)
    after_first = load.memory_mb(server.pid)
    second = load.run_walks(server.url, SESSIONS)
    after_second = load.memory_mb(server.pid)

    for walks in (first, second):
        assert [problem for walk in walks for problem in walk.problems] == []
        # every session saw every student page and its search
        assert {len(walk.times_ms) for walk in walks} == {len(load.STUDENT_PATHS) + 1}
    assert after_first["peak"] - before < SESSIONS * MEMORY_PER_SESSION_MB, (before, after_first)
    assert after_second["rss"] - after_first["rss"] < SECOND_WAVE_GROWTH_MB, (after_first, after_second)
