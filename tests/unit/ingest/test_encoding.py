"""Reading a file's bytes: encodings Excel and the survey tools write, and the cell separator."""

from __future__ import annotations

import pytest

from insights.ingest.encoding import decode, sniff_delimiter
from insights.ingest.validation import ImportFileError

TEXT = "Horodateur,Réponse\n25/10/2023 14:55:21,« Très satisfait·e » – l’œuvre coûte 5 €\n"


@pytest.mark.parametrize(
    ("content", "label"),
    [
        pytest.param(TEXT.encode("utf-8"), "UTF-8", id="utf-8 (Google)"),
        pytest.param(
            b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 avec BOM", id="utf-8 with bom (Excel, LimeSurvey)"
        ),
        pytest.param(
            TEXT.replace("·", ".").encode("cp1252"), "Windows-1252 (Excel)", id="cp1252 (French Excel)"
        ),
        pytest.param("cohort,size\nPromo été,24\n".encode("latin-1"), "ISO-8859-1 (Latin-1)", id="latin-1"),
        pytest.param(
            "\ufeff".encode("utf-16-le") + TEXT.encode("utf-16-le"),
            "UTF-16 (Excel « Texte Unicode »)",
            id="utf-16",
        ),
    ],
)
def test_the_encodings_spreadsheets_write_are_recognised(content, label):
    decoded = decode("f.csv", content)
    assert decoded.label == label
    assert "Réponse" in decoded.text or "été" in decoded.text


def test_windows_1252_letters_come_back_right():
    decoded = decode("f.csv", "l’œuvre coûte 5 € …".encode("cp1252"))
    assert decoded.text == "l’œuvre coûte 5 € …"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(
            TEXT.encode("utf-8") + "Ligne en Latin-1 : été\n".encode("latin-1"),
            "encodages mélangés",
            id="mixed",
        ),
        pytest.param(TEXT.encode("utf-16-le"), "octets nuls", id="utf-16 without bom"),
        pytest.param(b"a,b\n\x81,\x8d\n", "encodage non reconnu", id="undefined windows-1252 bytes"),
        pytest.param(bytes(range(1, 32)) * 20, "pas un fichier texte", id="binary"),
        pytest.param(b"\xef\xbb\xbfa,b\n\xff\xfe\n", "UTF-8", id="bom then invalid utf-8"),
    ],
)
def test_text_in_no_known_encoding_is_refused_with_its_line(content, words):
    with pytest.raises(ImportFileError) as caught:
        decode("f.csv", content)
    assert words in caught.value.message


def test_the_line_of_the_first_foreign_byte_is_named():
    content = "a,b\nété,1\n".encode() + "x,é\n".encode("latin-1")
    with pytest.raises(ImportFileError, match="ligne 3"):
        decode("f.csv", content)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        pytest.param("a,b,c\n1,2,3\n", ",", id="comma"),
        pytest.param("a;b;c\n1,5;2,5;3\n", ";", id="semicolon with decimal commas"),
        pytest.param("a\tb\n1\t2\n", "\t", id="tab"),
        pytest.param('"a, b";c\n"x, y";z\n', ";", id="separators inside quotes do not count"),
        pytest.param('Horodateur,"Q1, Q2"\n"25/10/2023 14:55:21","Oui, tout à fait"\n', ",", id="google"),
        pytest.param("q,1,q2\nHorodateur;Note;Avis\n1;2;3\n4;5;6\n", ";", id="a row typed above the header"),
        pytest.param("seule colonne\nvaleur\n", ",", id="one column"),
        pytest.param('a,b\n"multi\nline;;;;",c\n', ",", id="quoted newline"),
    ],
)
def test_the_delimiter_is_found(text, delimiter):
    assert sniff_delimiter(text) == delimiter
