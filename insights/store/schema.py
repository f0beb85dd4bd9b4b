"""The schema: each migration upgrades the database by one version (`PRAGMA user_version` records
how many ran), and `migrate` applies the pending ones when a connection opens."""

from __future__ import annotations

import sqlite3

from insights.store.aggregates import rebuild_aggregates
from insights.store.errors import SchemaTooNewError
from insights.store.quote_vectors import refresh_quote_vectors
from insights.store.transactions import transaction
from insights.store.writes import default_questions, write_questions

MIGRATIONS: list[str] = [
    # 1: the domain tables.
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE cohorts (
        cohort TEXT PRIMARY KEY,
        size INTEGER NOT NULL CHECK (size > 0)
    );
    CREATE TABLE speakers (
        speaker_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        organisation TEXT NOT NULL DEFAULT '',
        org_type TEXT NOT NULL,
        sector TEXT NOT NULL DEFAULT '',
        networks TEXT NOT NULL DEFAULT '',
        years_experience INTEGER CHECK (years_experience >= 0),
        education TEXT NOT NULL DEFAULT '',
        bio TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE career_steps (
        step_id INTEGER PRIMARY KEY,
        speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id) ON DELETE CASCADE,
        year_from INTEGER NOT NULL,
        year_to INTEGER CHECK (year_to IS NULL OR year_to >= year_from),
        role TEXT NOT NULL,
        organisation TEXT NOT NULL DEFAULT '',
        UNIQUE (speaker_id, year_from, role, organisation)
    );
    CREATE TABLE interventions (
        intervention_id TEXT PRIMARY KEY,
        date TEXT NOT NULL,
        cohort TEXT NOT NULL REFERENCES cohorts(cohort),
        semester TEXT NOT NULL CHECK (semester IN ('S1', 'S2')),
        title TEXT NOT NULL,
        format TEXT NOT NULL,
        tools TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE intervention_speakers (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id),
        position INTEGER NOT NULL,
        PRIMARY KEY (intervention_id, speaker_id)
    );
    CREATE INDEX intervention_speakers_by_speaker ON intervention_speakers(speaker_id);
    CREATE TABLE intervention_themes (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        theme TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (intervention_id, theme)
    );
    CREATE TABLE questions (
        question_id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('likert5', 'choice', 'nps', 'text')),
        label TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    );
    CREATE TABLE responses (
        response_id TEXT PRIMARY KEY,
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id),
        submitted_at TEXT NOT NULL DEFAULT '',
        respondent TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX responses_by_intervention ON responses(intervention_id);
    CREATE TABLE answers (
        response_id TEXT NOT NULL REFERENCES responses(response_id) ON DELETE CASCADE,
        question_id TEXT NOT NULL REFERENCES questions(question_id),
        value_num REAL,
        value_text TEXT,
        PRIMARY KEY (response_id, question_id)
    ) WITHOUT ROWID;
    CREATE INDEX answers_by_question ON answers(question_id);
    CREATE TABLE quotes (
        quote_id TEXT PRIMARY KEY,
        text TEXT NOT NULL CHECK (length(trim(text)) > 0),
        speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id),
        intervention_id TEXT REFERENCES interventions(intervention_id),
        source TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('proposée', 'publiée', 'refusée'))
    );
    CREATE INDEX quotes_by_speaker ON quotes(speaker_id);
    CREATE TABLE quote_themes (
        quote_id TEXT NOT NULL REFERENCES quotes(quote_id) ON DELETE CASCADE,
        theme TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (quote_id, theme)
    );
    CREATE INDEX quote_themes_by_theme ON quote_themes(theme);
    INSERT INTO meta(key, value) VALUES ('data_version', '0');
    """,
    # 2: the quote wall's full-text index (see insights.store.quote_index), kept in step by triggers. Only
    # published quotes are indexed. A quote's docid (its quotes_fts rowid) is its talk's day
    # number * 2^20 plus a sequence number, so that rowid order is talk-date order (quotes with
    # no talk get day 0, last); quote_search also copies the quote's speaker and talk, so that
    # the search's filters need no lookup in `quotes`. fr_words / fr_stems are insights.language.text
    # functions that connect() registers.
    """
    CREATE TABLE quote_search (
        docid INTEGER PRIMARY KEY,
        quote_id TEXT NOT NULL UNIQUE,
        speaker_id TEXT NOT NULL,
        intervention_id TEXT
    );
    CREATE VIEW quote_search_source AS
        SELECT q.quote_id, q.speaker_id, q.intervention_id, q.text,
            coalesce(CAST(julianday(i.date) AS INTEGER), 0) * 1048576 AS day_base
        FROM quotes q LEFT JOIN interventions i ON i.intervention_id = q.intervention_id
        WHERE q.status = 'publiée';
    CREATE VIRTUAL TABLE quotes_fts USING fts5(words, stems, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER quote_search_insert AFTER INSERT ON quotes WHEN new.status = 'publiée' BEGIN
        INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id)
            SELECT coalesce(
                (SELECT max(docid) + 1 FROM quote_search WHERE docid BETWEEN day_base AND day_base + 1048575),
                day_base
            ), quote_id, speaker_id, intervention_id
            FROM quote_search_source WHERE quote_id = new.quote_id;
        INSERT INTO quotes_fts (rowid, words, stems)
            SELECT docid, fr_words(new.text), fr_stems(new.text)
            FROM quote_search WHERE quote_id = new.quote_id;
    END;
    CREATE TRIGGER quote_search_delete AFTER DELETE ON quotes BEGIN
        DELETE FROM quotes_fts WHERE rowid = (SELECT docid FROM quote_search WHERE quote_id = old.quote_id);
        DELETE FROM quote_search WHERE quote_id = old.quote_id;
    END;
    CREATE TRIGGER quote_search_update AFTER UPDATE OF quote_id, text, status, speaker_id, intervention_id
    ON quotes WHEN old.quote_id IS NOT new.quote_id OR old.text IS NOT new.text OR old.status IS NOT new.status
        OR old.speaker_id IS NOT new.speaker_id OR old.intervention_id IS NOT new.intervention_id BEGIN
        DELETE FROM quotes_fts WHERE rowid = (SELECT docid FROM quote_search WHERE quote_id = old.quote_id);
        DELETE FROM quote_search WHERE quote_id = old.quote_id;
        INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id)
            SELECT coalesce(
                (SELECT max(docid) + 1 FROM quote_search WHERE docid BETWEEN day_base AND day_base + 1048575),
                day_base
            ), quote_id, speaker_id, intervention_id
            FROM quote_search_source WHERE quote_id = new.quote_id;
        INSERT INTO quotes_fts (rowid, words, stems)
            SELECT docid, fr_words(new.text), fr_stems(new.text)
            FROM quote_search WHERE quote_id = new.quote_id;
    END;
    CREATE TRIGGER quote_search_redate AFTER UPDATE OF date ON interventions
    WHEN old.date IS NOT new.date BEGIN
        DELETE FROM quotes_fts WHERE rowid IN (
            SELECT docid FROM quote_search WHERE intervention_id = new.intervention_id
        );
        DELETE FROM quote_search WHERE intervention_id = new.intervention_id;
        INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id)
            SELECT coalesce(
                (SELECT max(docid) + 1 FROM quote_search WHERE docid BETWEEN day_base AND day_base + 1048575),
                day_base
            ) + row_number() OVER (ORDER BY quote_id) - 1, quote_id, speaker_id, intervention_id
            FROM quote_search_source WHERE intervention_id = new.intervention_id;
        INSERT INTO quotes_fts (rowid, words, stems)
            SELECT s.docid, fr_words(q.text), fr_stems(q.text)
            FROM quote_search s JOIN quotes q ON q.quote_id = s.quote_id
            WHERE s.intervention_id = new.intervention_id;
    END;
    INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id)
        SELECT day_base + row_number() OVER (PARTITION BY day_base ORDER BY quote_id) - 1,
            quote_id, speaker_id, intervention_id
        FROM quote_search_source;
    INSERT INTO quotes_fts (rowid, words, stems)
        SELECT s.docid, fr_words(q.text), fr_stems(q.text)
        FROM quote_search s JOIN quotes q ON q.quote_id = s.quote_id;
    """,
    # 3: the director's target mix for planning a cohort (insights.analytics.planning): how many talks per
    # cohort should cover each theme, and be given by each type of organisation.
    """
    CREATE TABLE planning_targets (
        kind TEXT NOT NULL CHECK (kind IN ('theme', 'org_type')),
        key TEXT NOT NULL,
        talks_per_cohort INTEGER NOT NULL CHECK (talks_per_cohort BETWEEN 0 AND 99),
        PRIMARY KEY (kind, key)
    );
    """,
    # 4: the director's sign-in attempts (insights.access): the throttle reads them, so that a
    # new browser session cannot bypass it, and the director's sign-in journal shows them.
    """
    CREATE TABLE signin_attempts (
        attempt_id INTEGER PRIMARY KEY,
        attempted_at REAL NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'reset'))
    );
    CREATE INDEX signin_attempts_by_time ON signin_attempts(attempted_at);
    """,
    # 5: the column mappings of survey exports (insights.mapping), offered again for the next file
    # of the same form. `fingerprint` identifies a form by its tool and question headers.
    """
    CREATE TABLE import_mappings (
        fingerprint TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        headers TEXT NOT NULL,
        mapping TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 6: publication and review, and the per-talk aggregates every survey figure is summed from.
    # A talk's results move through states (collecting → reviewed → published), each change kept
    # in a history. A free-text answer is reviewed (public, private or removed; its text may be
    # edited to remove a name) against the text it had then: a changed answer is pending again.
    # The aggregates are kept up to date at write time (insights.store.aggregates): responses per
    # talk, closed answers counted by value, text answers counted (all of them, and the public
    # ones as shown), the stems they mention and how each was spelt, the theme tags of tagged
    # answers, and the full-text index of free-text answers (the comment search).
    """
    CREATE TABLE talk_publication (
        intervention_id TEXT PRIMARY KEY REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('collecting', 'reviewed', 'published')),
        changed_at TEXT NOT NULL
    );
    CREATE TABLE publication_history (
        event_id INTEGER PRIMARY KEY,
        intervention_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('collecting', 'reviewed', 'published')),
        changed_at TEXT NOT NULL,
        source TEXT NOT NULL
    );
    CREATE INDEX publication_history_by_talk ON publication_history(intervention_id, event_id);
    CREATE TABLE answer_reviews (
        response_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('public', 'private', 'removed')),
        original TEXT NOT NULL,
        edited TEXT,
        reviewed_at TEXT NOT NULL,
        PRIMARY KEY (response_id, question_id)
    ) WITHOUT ROWID;
    CREATE TABLE talk_responses (
        intervention_id TEXT PRIMARY KEY REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        responses INTEGER NOT NULL
    );
    CREATE TABLE answer_counts (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        value_num REAL,
        value_text TEXT,
        answers INTEGER NOT NULL
    );
    CREATE INDEX answer_counts_by_talk ON answer_counts(intervention_id);
    CREATE TABLE text_answer_counts (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        answers INTEGER NOT NULL,
        public_answers INTEGER NOT NULL,
        pending INTEGER NOT NULL,
        PRIMARY KEY (intervention_id, question_id)
    ) WITHOUT ROWID;
    CREATE TABLE text_term_counts (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        term TEXT NOT NULL,
        answers INTEGER NOT NULL,
        public_answers INTEGER NOT NULL,
        PRIMARY KEY (intervention_id, question_id, term)
    ) WITHOUT ROWID;
    CREATE TABLE text_term_spellings (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        term TEXT NOT NULL,
        spelling TEXT NOT NULL,
        uses INTEGER NOT NULL,
        public_uses INTEGER NOT NULL,
        PRIMARY KEY (intervention_id, term, spelling)
    ) WITHOUT ROWID;
    CREATE TABLE answer_themes (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        response_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        theme TEXT NOT NULL,
        position INTEGER NOT NULL,
        public INTEGER NOT NULL,
        text_length INTEGER NOT NULL,
        PRIMARY KEY (response_id, question_id, theme)
    ) WITHOUT ROWID;
    CREATE INDEX answer_themes_by_talk ON answer_themes(intervention_id, theme);
    CREATE INDEX answer_themes_examples ON answer_themes(theme, question_id, position > 0, text_length);
    CREATE TABLE text_theme_counts (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        theme TEXT NOT NULL,
        answers INTEGER NOT NULL,
        public_answers INTEGER NOT NULL,
        PRIMARY KEY (intervention_id, question_id, theme)
    ) WITHOUT ROWID;
    CREATE TABLE answer_search (
        docid INTEGER PRIMARY KEY,
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        response_id TEXT NOT NULL,
        review TEXT NOT NULL
    );
    CREATE INDEX answer_search_by_talk ON answer_search(intervention_id, question_id, response_id);
    CREATE VIRTUAL TABLE answers_fts USING fts5(stems, shown_stems, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER answer_search_delete AFTER DELETE ON answer_search BEGIN
        DELETE FROM answers_fts WHERE rowid = old.docid;
    END;
    """,
    # 7: reliability in operation. The audit journal of every write (insights.store.audit); the
    # client address of each sign-in attempt, so that one client's failures slow that client
    # (insights.access); and the times of students' quote proposals, which are throttled.
    """
    CREATE TABLE audit_log (
        event_id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        summary TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}',
        ids TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX audit_log_by_time ON audit_log(at);
    ALTER TABLE signin_attempts ADD COLUMN client TEXT NOT NULL DEFAULT '';
    CREATE TABLE proposal_log (
        proposed_at REAL NOT NULL,
        session TEXT NOT NULL
    );
    CREATE INDEX proposal_log_by_time ON proposal_log(proposed_at);
    """,
    # 8: private links to a speaker's sheet (only the token's hash is kept), their openings,
    # and the failed token look-ups that throttle guessing.
    """
    CREATE TABLE IF NOT EXISTS share_links (
        link_id INTEGER PRIMARY KEY,
        speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE INDEX IF NOT EXISTS share_links_by_speaker ON share_links(speaker_id);
    CREATE TABLE IF NOT EXISTS share_link_openings (
        opening_id INTEGER PRIMARY KEY,
        link_id INTEGER NOT NULL REFERENCES share_links(link_id) ON DELETE CASCADE,
        opened_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS share_link_openings_by_link ON share_link_openings(link_id);
    CREATE TABLE IF NOT EXISTS share_link_failures (
        failed_at REAL NOT NULL,
        client TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS share_link_failures_by_time ON share_link_failures(failed_at);
    """,
    # 9: the sentence embedding of each published quote (semantic search): float32 bytes of the
    # model named in `model`; a quote's vector goes when its text changes, and is computed again.
    """
    CREATE TABLE IF NOT EXISTS quote_vectors (
        quote_id TEXT PRIMARY KEY REFERENCES quotes(quote_id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
    );
    CREATE TRIGGER IF NOT EXISTS quote_vectors_stale AFTER UPDATE OF text ON quotes
    WHEN new.text IS NOT old.text BEGIN
        DELETE FROM quote_vectors WHERE quote_id = new.quote_id;
    END;
    """,
    # 10: students' notebooks of saved quotes ("Mon carnet"): a random code and a creation date,
    # the saved quote ids in order with an optional personal note, and the times notebooks were
    # created (per browser session, for throttling). Nothing else identifies a student.
    """
    CREATE TABLE IF NOT EXISTS notebooks (
        code TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS notebook_quotes (
        code TEXT NOT NULL REFERENCES notebooks(code) ON DELETE CASCADE,
        quote_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
        PRIMARY KEY (code, quote_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS notebook_log (
        created_at REAL NOT NULL,
        session TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notebook_log_by_time ON notebook_log(created_at);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def _publish_what_was_shown(conn: sqlite3.Connection) -> None:
    """Migration 6 on a database in use: every result was shown before publication existed, so
    the talks with responses stay published (recorded in the history as the upgrade's doing);
    their free-text answers wait for review, as they were never shown to students."""
    rebuild_aggregates(conn)
    at = conn.execute("SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')").fetchone()[0]
    conn.execute(
        "INSERT INTO talk_publication (intervention_id, state, changed_at) "
        "SELECT intervention_id, 'published', ? FROM talk_responses WHERE responses > 0",
        (at,),
    )
    conn.execute(
        "INSERT INTO publication_history (intervention_id, state, changed_at, source) "
        "SELECT intervention_id, 'published', ?, 'migration' FROM talk_responses WHERE responses > 0",
        (at,),
    )


def _embed_published_quotes(conn: sqlite3.Connection) -> None:
    """The quote vectors migration on a database in use: embed the quotes already published (when
    the model can run; otherwise the next quote write does it)."""
    refresh_quote_vectors(conn)


# Work in Python that a migration needs, run in its transaction after its SQL.
_VECTORS_MIGRATION = next(
    i + 1 for i, script in enumerate(MIGRATIONS) if "TABLE IF NOT EXISTS quote_vectors" in script
)
_AFTER_MIGRATION = {6: _publish_what_was_shown, _VECTORS_MIGRATION: _embed_published_quotes}


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migrations applied to this database."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the pending migrations, each in its own transaction; return the new version."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"La base est au schéma {version}, plus récent que celui de l'application ({SCHEMA_VERSION}) : "
            "elle a été écrite par une version plus récente. Installez cette version, ou restaurez une "
            "sauvegarde faite avec celle-ci. La base n'a pas été modifiée."
        )
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _split_statements(MIGRATIONS[number]):
                conn.execute(statement)
            if number + 1 in _AFTER_MIGRATION:
                _AFTER_MIGRATION[number + 1](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    if version == 0:
        with transaction(conn):
            write_questions(conn, default_questions())
    return SCHEMA_VERSION


def _split_statements(script: str) -> list[str]:
    """Split a migration script into statements (trigger bodies kept whole)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
