"""Fixtures for the template import/export and command line tests: a small valid set of template files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from insights import store

# A tiny, valid dataset in the canonical form `export_tables` writes: rows sorted by key, `\n`
# line ends, minimal quoting, ISO dates. Each file refers only to ids of the files before it.
TEMPLATE_FILES: dict[str, str] = {
    "cohorts.csv": """\
cohort,size
2015-2016,24
2016-2017,22
""",
    "speakers.csv": """\
speaker_id,name,title,organisation,org_type,sector,networks,years_experience,education,bio
sp01,Camille Martin,Community manager,Université de Nantes,université / établissement public,\
Enseignement supérieur,Facebook;X/Twitter,6,Master communication,"Anime les comptes de l'université, \
« au chevet de l'innovation »."
sp02,Julien Petit,Responsable social media,Groupe La Poste,grand groupe,Services,Facebook;LinkedIn;YouTube,,\
Licence pro TIC ARC,
""",
    "career_steps.csv": """\
speaker_id,year_from,year_to,role,organisation
sp01,2008,2011,Chargée de communication,Mairie de Rezé
sp01,2011,,Community manager,Université de Nantes
sp02,2012,,Responsable social media,Groupe La Poste
""",
    "interventions.csv": """\
intervention_id,date,cohort,semester,speaker_ids,title,format,themes,tools,results
2015-2016-S1-01,2015-10-12,2015-2016,S1,sp01,Animer la communauté d'une université,témoignage de CM,\
parcours;crise;transparence,,published
2015-2016-S1-02,2015-11-24,2015-2016,S1,sp02;sp01,Les réseaux sociaux d'un grand groupe,présentation d'outil,\
strategie;outils,Hootsuite;Talkwalker,reviewed
""",
    "responses.csv": """\
response_id,intervention_id,submitted_at,respondent,satisfaction,usefulness,clarity,exchange,\
pillar_transparency,pillar_conversation,pillar_engagement,pillar_enthusiasm,best_part,recommend,takeaway,improve
r000001,2015-2016-S1-01,2015-10-12 18:04,e01,5,4,4,5,4,3,4,5,gestion de crise,9,Connaître sa structure avant tout,
r000002,2015-2016-S1-01,2015-10-12 18:10,e02,4,4,3,,4,4,3,4,parcours,8,,"Plus de temps d'échange, moins de slides"
r000003,2015-2016-S1-02,,e01,3,2,3,3,2,3,3,2,,4,,
""",
    "reviews.csv": """\
response_id,question_id,status,text
r000001,takeaway,public,
r000002,improve,private,"Plus de temps d'échange, moins de diapositives"
""",
    "quotes.csv": """\
quote_id,text,speaker_id,intervention_id,themes,source,status
q0001,"Le CM doit être au chevet de l'innovation Web. Et pour cela, il se doit d'être passionné",sp01,\
2015-2016-S1-01,veille;enthousiasme,notes d'étudiant,publiée
q0002,"Avant même de faire votre métier de Community Manager, il faut que vous compreniez la structure \
dans laquelle vous travaillez",sp02,,structure,support,proposée
""",
}


@pytest.fixture
def template_files() -> dict[str, str]:
    """The valid template files' text, by file name (a fresh copy each test may change)."""
    return dict(TEMPLATE_FILES)


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    """A directory holding the seven valid template files."""
    directory = tmp_path / "templates"
    directory.mkdir()
    for name, content in TEMPLATE_FILES.items():
        (directory / name).write_text(content, encoding="utf-8")
    return directory


@pytest.fixture
def empty_conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """An empty, migrated database."""
    connection = store.connect(tmp_path / "t.sqlite")
    yield connection
    connection.close()
