"""`python -m insights search`: what the wall returns, as text or JSON (the benchmark database of
generated quotes is tested in `tests/unit/bench/test_search_bench.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from insights import cli, store
from insights.domain import PUBLISHED
from insights.filters import Filters
from insights.quotes import search

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def run_json(capsys, *args: str) -> list[dict]:
    assert cli.main(["search", *args, "--json"]) == cli.EXIT_OK
    return json.loads(capsys.readouterr().out)


def test_json_has_the_design_fields_and_the_walls_order(demo_db_path, capsys):
    records = run_json(capsys, "un troll sur notre page", "--db", str(demo_db_path))
    assert {"quote_id", "text", "speaker", "organisation", "themes", "score"} <= set(records[0])
    assert isinstance(records[0]["themes"], list)
    conn = store.connect(demo_db_path)
    try:
        expected = search.search_quotes(conn, Filters(query="un troll sur notre page"), limit=20)
    finally:
        conn.close()
    assert [r["quote_id"] for r in records] == [hit.quote_id for hit in expected]
    assert records[0]["quote_id"] == "q0106"
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)


def test_several_themes_keep_quotes_having_any_of_them(demo_db_path, capsys):
    db = ["--db", str(demo_db_path)]
    crisis = run_json(capsys, "", "--theme", "crise", "--limit", "500", *db)
    tools = run_json(capsys, "", "--theme", "outils", "--limit", "500", *db)
    both = run_json(capsys, "", "--theme", "crise", "--theme", "outils", "--limit", "500", *db)
    assert {r["quote_id"] for r in both} == {r["quote_id"] for r in crisis} | {r["quote_id"] for r in tools}
    assert all({"crise", "outils"} & set(r["themes"]) for r in both)


def test_only_published_quotes_are_returned(demo_db_path, capsys):
    conn = store.connect(demo_db_path)
    try:
        statuses = dict(store.load_quotes(conn)[["quote_id", "status"]].itertuples(index=False))
    finally:
        conn.close()
    records = run_json(capsys, "", "--limit", "1000", "--db", str(demo_db_path))
    assert len(records) == 174
    assert {statuses[r["quote_id"]] for r in records} == {PUBLISHED}
    # "L'outil ne fait pas le CM." is only proposed.
    assert "q0175" not in {r["quote_id"] for r in run_json(capsys, "outil CM", "--db", str(demo_db_path))}


def test_limit_cuts_the_list(demo_db_path, capsys):
    assert len(run_json(capsys, "crise", "--limit", "3", "--db", str(demo_db_path))) == 3


def test_the_text_output_is_readable_french(demo_db_path, capsys):
    assert cli.main(["search", "troll", "--limit", "2", "--db", str(demo_db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 citations (les 2 premières) :")
    assert "1. « Un troll cherche un public." in out
    assert "Antoine Lefèvre, Community manager, Nébula Games" in out
    assert "(26/03/2015)" in out and "[q0106] thèmes : Gestion de crise" in out


def test_nothing_found_is_said(demo_db_path, capsys):
    assert cli.main(["search", "zzzqqq", "--db", str(demo_db_path)]) == 0
    assert capsys.readouterr().out.strip() == "Aucune citation publiée ne correspond."
    assert run_json(capsys, "zzzqqq", "--db", str(demo_db_path)) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [(["troll", "--theme", "nope"], "choix invalide"), ([], "arguments obligatoires manquants")],
)
def test_bad_arguments_exit_2_with_a_french_message(demo_db_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["search", *args, "--db", str(demo_db_path)])
    assert exit_.value.code == cli.EXIT_USAGE
    assert message in capsys.readouterr().err


def test_a_limit_below_one_is_refused(demo_db_path, capsys):
    assert cli.main(["search", "troll", "--limit", "0", "--db", str(demo_db_path)]) == cli.EXIT_USAGE
    assert "--limit doit valoir au moins 1." in capsys.readouterr().err


def test_hostile_queries_are_answered(demo_db_path, capsys):
    for query in ['"', "NEAR(", "a OR", "'; DROP TABLE quotes; --", "*", "<script>"]:
        assert isinstance(run_json(capsys, query, "--db", str(demo_db_path)), list)


def test_the_command_runs_as_a_module(demo_db_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "insights",
            "search",
            "bad buzz",
            "--json",
            "--limit",
            "1",
            "--db",
            str(demo_db_path),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "bad buzz" in json.loads(result.stdout)[0]["text"].lower()


def test_search_corrects_a_typo_and_says_so_unless_asked_as_typed(demo_db_path, capsys):
    from insights import cli

    assert cli.main(["search", "--db", str(demo_db_path), "--limit", "1", "modérasion"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Résultats pour « modération » (--tel-quel pour chercher « modérasion »).")
    assert cli.main(["search", "--db", str(demo_db_path), "--limit", "1", "--tel-quel", "modérasion"]) == 0
    assert "Résultats pour" not in capsys.readouterr().out


def test_search_eval_prints_recall_and_mrr_per_kind(tmp_path, capsys):
    from insights import cli

    (tmp_path / "quotes.csv").write_text(
        "quote_id,text\ne1,Une charte de modération affichée vous protège.\ne2,Le diplôme ouvre des portes.\n",
        encoding="utf-8",
    )
    (tmp_path / "queries.csv").write_text(
        "kind,query,relevant,why\nlexical,charte de modération,e1,mots\ntypo,diplome,e2,accents\n",
        encoding="utf-8",
    )
    assert cli.main(["search-eval", "--set", str(tmp_path)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "rappel@3" in out and "MRR" in out
    assert "mots exacts" in out and "faute de frappe" in out
    lexical = next(line for line in out.splitlines() if line.startswith("mots exacts"))
    assert lexical.split()[2:7] == ["1", "1.00", "1.00", "1.00", "1.00"]
    assert cli.main(["search-eval", "--set", str(tmp_path / "absent")]) == cli.EXIT_USAGE
