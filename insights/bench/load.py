"""Students at once: the app as served (`streamlit run server.py`) on the demo data, with sessions
opened by Playwright in Debian's Chromium, each opening every student page and searching the quote
wall. A page's time runs from the navigation to the end of its script, as the browser sees it; the
same walk by one session alone, in the same run, is the baseline. The server's memory is read from
/proc before, at its peak and after the sessions close.

Also the server the browser tests drive (`serve`), so that both start it the same way.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insights import store
from insights.bench.pages import STUDENT_PAGES, percentile

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "server.py"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APP_READY = (
    '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
)
SCRIPT_RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
STUDENT_PATHS = tuple(Path(file).stem for file in STUDENT_PAGES)
SEARCHES = ("gérer un bad buzz", "troll en commentaire", "travailler avec un influenceur")
SEARCH_BOX = "Rechercher un conseil"
DEFAULT_SESSIONS = 20


class ServerError(RuntimeError):
    """The app did not start; the message holds its log."""


@dataclass
class Server:
    url: str
    pid: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(database: Path, log_path: Path, *options: str, timeout: float = 60) -> Iterator[Server]:
    """Run `streamlit run server.py` on a free port over `database`, with extra command-line
    `options`; yield it once it answers, and stop it afterwards."""
    port = _free_port()
    env = {**os.environ, "INSIGHTS_DB": str(database)}
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command, this interpreter's streamlit
            [
                sys.executable, "-m", "streamlit", "run", str(SERVER),
                "--server.headless", "true",
                "--server.port", str(port),
                "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
                *options,
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise ServerError(f"streamlit did not start:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def memory_mb(pid: int) -> dict[str, float]:
    """The process's resident memory now (rss) and at its peak so far (peak), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "VmHWM"}:
            fields[name] = int(value.split()[0]) / 1024
    return {"rss": round(fields["VmRSS"], 1), "peak": round(fields["VmHWM"], 1)}


@dataclass
class Walk:
    """One session's walk: each step's time (ms) by step name, and what went wrong."""

    times_ms: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


async def _until_ready(page: Any, timeout_ms: float) -> None:
    await page.wait_for_selector(APP_READY, timeout=timeout_ms)


async def _check(page: Any, step: str, walk: Walk) -> None:
    errors = page.locator(ERRORS)
    if await errors.count():
        walk.problems.append(f"{step} : {(await errors.first.inner_text())[:200]}")


async def walk_student_pages(context: Any, url: str, search: str, timeout_ms: float = 300_000) -> Walk:
    """Open every student page in turn, then search the wall, timing each step in `context`."""
    walk = Walk()
    step = "start"
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)  # under load, a busy page answers late but answers
    try:
        for path in STUDENT_PATHS:
            step = path
            started = time.perf_counter()
            await page.goto(f"{url}/{path}", wait_until="commit", timeout=timeout_ms)
            await _until_ready(page, timeout_ms)
            walk.times_ms[path] = (time.perf_counter() - started) * 1000
            await _check(page, path, walk)
        step = "search"
        await page.goto(f"{url}/quotes", wait_until="commit", timeout=timeout_ms)
        await _until_ready(page, timeout_ms)
        box = page.get_by_role("textbox", name=SEARCH_BOX)
        await box.fill(search)
        started = time.perf_counter()
        await box.press("Enter")
        with suppress(Exception):  # a fast rerun may end before it is seen running
            await page.wait_for_selector(SCRIPT_RUNNING, timeout=2000)
        await _until_ready(page, timeout_ms)
        walk.times_ms["search"] = (time.perf_counter() - started) * 1000
        await _check(page, "search", walk)
    except Exception as error:
        walk.problems.append(f"{step} : {type(error).__name__} : {str(error)[:200]}")
    finally:
        await page.close()
    return walk


async def concurrent_walks(url: str, sessions: int, searches: Sequence[str] = SEARCHES) -> list[Walk]:
    """`sessions` students walking the pages at the same moment, each in a browser context of its
    own (its own cookies, its own Streamlit session)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            contexts = [
                await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
                for _ in range(sessions)
            ]
            walks = await asyncio.gather(
                *(
                    walk_student_pages(context, url, searches[index % len(searches)])
                    for index, context in enumerate(contexts)
                )
            )
            for context in contexts:
                await context.close()
            return list(walks)
        finally:
            await browser.close()


def run_walks(url: str, sessions: int) -> list[Walk]:
    """`concurrent_walks` from synchronous code, in a thread of its own (a test's event loop may be
    running in this one)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, concurrent_walks(url, sessions)).result()


def _times(walks: Sequence[Walk]) -> list[float]:
    return [ms for walk in walks for ms in walk.times_ms.values()]


def summary(times: Sequence[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(times), 1) if times else float("nan"),
        "p95_ms": round(percentile(times, 0.95), 1) if times else float("nan"),
    }


def demo_database(path: Path) -> Path:
    """A database at `path` holding the demo dataset, as the app seeds it on first start."""
    from insights.ingest.loading import seed_demo_if_empty

    conn = store.connect(path)
    try:
        seed_demo_if_empty(conn, store.DEMO_DIR)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


def bench_load(sessions: int = DEFAULT_SESSIONS, directory: Path | None = None) -> dict[str, Any]:
    """Page times of one student alone, then of `sessions` students at once, on one server over
    the demo data; the server's memory at each stage; every problem a session met."""
    if not Path(CHROMIUM).exists():
        return {"skipped": f"Chromium introuvable ({CHROMIUM})"}
    with tempfile.TemporaryDirectory(dir=directory) as workdir:
        database = demo_database(Path(workdir) / "demo.sqlite")
        with serve(database, Path(workdir) / "streamlit.log") as server:
            run_walks(server.url, 1)  # warms the server's caches, as any visitor after start would
            started = memory_mb(server.pid)
            alone = run_walks(server.url, 1)
            crowd = run_walks(server.url, sessions)
            during = memory_mb(server.pid)
            time.sleep(2)
            after = memory_mb(server.pid)
    single, loaded = summary(_times(alone)), summary(_times(crowd))
    return {
        "sessions": sessions,
        "single": single,
        "loaded": loaded,
        "p95_ratio": round(loaded["p95_ms"] / single["p95_ms"], 1),
        "steps": len(_times(crowd)),
        "problems": [problem for walk in alone + crowd for problem in walk.problems],
        "server_rss_mb": {"before": started["rss"], "peak": during["peak"], "after": after["rss"]},
    }
