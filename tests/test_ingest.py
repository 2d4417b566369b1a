"""Reading articles: seeds, each file type, bad input, normalisation and dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.ingest import decode
from briefing.ingest.articles import expand_paths, read_articles, read_articles_report
from briefing.ingest.dates import infer_date
from briefing.ingest.normalise import FurnitureRules, article_id, normalise_text
from briefing.models import DateStatus
from briefing.text.segment import find_quotes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(p for p in SEEDS.glob("*.md") if p.name != "README.md")


def read_one(path: Path, **kwargs):
    articles = read_articles(path, **kwargs)
    assert len(articles) == 1
    return articles[0]


def seed(stem: str):
    return read_one(next(SEEDS.glob(f"{stem}_*.md")))


def one_line_error(excinfo: pytest.ExceptionInfo[InputError], path: Path) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    assert str(path) in message
    return message


# --- seeds ----------------------------------------------------------------------------------------


def test_there_are_five_seeds():
    assert len(SEED_FILES) == 5
    assert expand_paths([SEEDS]) == SEED_FILES  # README.md is not an article


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem[:3])
def test_each_seed_ingests_with_its_metadata(path):
    article = read_one(path)
    assert article.text and article.text == article.text.strip()
    assert article.origin == str(path)
    assert article.source == "unknown"
    assert article.language == "en"
    assert article.date_status is DateStatus.APPROXIMATE
    assert article.id == article_id(article.text)
    assert read_one(path).id == article.id  # stable across reads


def test_seed_dates_and_titles_come_from_front_matter():
    assert seed("000").published == dt.date(2025, 12, 16)
    assert seed("004").published == dt.date(2025, 4, 21)
    assert seed("000").title is None
    assert seed("003").title == "Russia, US maintain Ukraine talks as Putin, Trump engage: Kremlin"
    assert seed("004").title.startswith("Kremlin Says It Is “Satisfied”")


def test_seed_body_is_the_original_capture():
    original = Path("/work/shared/seeds")
    if not original.exists():
        pytest.skip("original captures not available")
    for path in SEED_FILES:
        captured = (original / f"{path.stem}.txt").read_bytes()
        body = path.read_bytes().split(b"\n---\n", 1)[1]
        assert body == captured + b"\n"


def test_furniture_is_removed_from_seeds_and_recorded():
    a001, a002, a003, a004 = seed("001"), seed("002"), seed("003"), seed("004")

    assert "RELATED:" not in a001.text
    assert "Russia advances in the liberation of Kupiansk" not in a001.text
    assert "related-link: RELATED:" in a001.removed
    assert any("Kupiansk" in line for line in a001.removed)

    assert "0 Comments" not in a002.text
    assert "comment-count: 0 Comments" in a002.removed

    assert "Read more:" not in a003.text
    assert "(AP)" not in a003.text
    assert any(r.startswith("read-more: Read more: Ukraine sees record") for r in a003.removed)
    assert any(r.startswith("photo-caption: Kremlin spokesman Dmitry Peskov") for r in a003.removed)
    assert "\n-\n" not in a003.text

    lines = a004.text.split("\n")
    for furniture in ("Category", "Latest news", "Authors", "See all", "2 min read"):
        assert furniture not in lines
        assert any(line.endswith(f": {furniture}") for line in a004.removed)
    assert "Getty Images" not in a004.text
    assert any(r.startswith("photo-caption: Vladimir Putin and Dmitry") for r in a004.removed)
    # The headline printed twice by the page goes: the second print as a repeated line, the
    # first because it repeats the title of the front matter.
    assert sum("Signals Ruling Out Ukraine" in line for line in lines) == 0
    assert any(line.startswith("repeated-line: Kremlin Says") for line in a004.removed)
    assert any(line.startswith("title repeated: Kremlin Says") for line in a004.removed)


def test_no_quotation_is_lost_from_the_seeds():
    for path in SEED_FILES:
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        article = read_one(path)
        for line in body.split("\n"):
            if "“" in line or '"' in line:
                kept = line.strip() in article.text
                assert kept or f"title repeated: {line.strip()}" in article.removed, line
        assert find_quotes(article.text)


def test_seed_text_keeps_its_characters():
    article = seed("004")
    assert "\u00a0" in article.text  # no-break spaces are part of the quotable text
    assert "Russia’s" in article.text and "“satisfied”" in article.text


# --- file types -----------------------------------------------------------------------------------


def test_plain_text(tmp_path):
    path = tmp_path / "a.txt"
    raw = "Headline here\r\n\r\n\r\n\r\nBody  \r\nRead more: other story\r\n"
    path.write_text(raw, encoding="utf-8")
    article = read_one(path)
    assert article.text == "Headline here\n\nBody"
    assert article.title is None  # not guessed from the first line
    assert article.removed == ["read-more: Read more: other story"]
    assert article.date_status is DateStatus.UNDATED and article.published is None


def test_same_text_twice_is_the_same_article(tmp_path):
    (tmp_path / "a.txt").write_text("Peskov spoke.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Other\n---\r\nPeskov spoke.", encoding="utf-8")
    assert read_one(tmp_path / "a.txt").id == read_one(tmp_path / "b.md").id


def test_markdown_without_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# Heading\n\nBody text.\n", encoding="utf-8")
    article = read_one(path)
    assert article.text == "# Heading\n\nBody text."
    assert article.title is None


def test_nfc_normalisation(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Zelenskyi\u0301 said.", encoding="utf-8")
    assert read_one(path).text == "Zelenskyí said."


HTML_PAGE = """<!doctype html>
<html lang="en"><head><title>Kremlin waits for briefing - Example News</title>
<meta property="article:published_time" content="2025-12-16">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news menu</a></li></ul></nav>
<article>
<h1>Kremlin waits for briefing</h1>
<p>Kremlin spokesperson Dmitry Peskov said Russia is waiting for the United States to report on its
talks with Ukraine and European partners.</p>
<p>“As soon as they are ready, our American counterparts will inform us,” he said on Tuesday in
Moscow, speaking to reporters at the daily briefing.</p>
</article>
<footer><p>Copyright 2025 Example News. Subscribe to our newsletter.</p></footer>
</body></html>
"""


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    article = read_one(path)
    assert "Dmitry Peskov said Russia is waiting" in article.text
    assert "“As soon as they are ready, our American counterparts will inform us,”" in article.text
    assert "World news menu" not in article.text
    assert "Subscribe to our newsletter" not in article.text
    assert article.title == "Kremlin waits for briefing"
    assert article.published == dt.date(2025, 12, 16)
    assert article.date_status is DateStatus.METADATA


def test_html_without_article_text(tmp_path):
    path = tmp_path / "empty.html"
    page = "<html><head><title>x</title></head><body><script>var a;</script></body></html>"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        read_articles(path)
    one_line_error(excinfo, path)


def test_jsonl_keeps_good_records_and_reports_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    records = [
        json.dumps({"text": "First article.", "title": "One", "published": "2025-01-02"}),
        "{not json",
        "",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Second article.", "source": "Wire", "url": "https://example.org/2"}),
        json.dumps({"text": "Third.", "published": "yesterday"}),
    ]
    path.write_text("\n".join(records) + "\n", encoding="utf-8")

    articles, problems = read_articles_report(path)
    assert [a.text for a in articles] == ["First article.", "Second article."]
    assert [a.origin for a in articles] == [f"{path}#1", f"{path}#5"]
    assert articles[0].title == "One" and articles[0].published == dt.date(2025, 1, 2)
    assert articles[0].date_status is DateStatus.METADATA
    assert articles[1].source == "Wire" and articles[1].url == "https://example.org/2"
    assert len(problems) == 3
    assert "line 2" in problems[0] and "not valid JSON" in problems[0]
    assert "line 4" in problems[1] and "`text`" in problems[1]
    assert "line 6" in problems[2] and "published" in problems[2]
    assert all("\n" not in p and str(path) in p for p in problems)

    assert [a.text for a in read_articles(path)] == ["First article.", "Second article."]


def test_jsonl_with_only_bad_lines_raises(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("{bad\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        read_articles(path)
    message = one_line_error(excinfo, path)
    assert "line 1" in message and "1 more" in message


def test_expand_paths_walks_directories_in_order(tmp_path):
    for name in ("b.txt", "a.md", "sub/c.html", "notes.pdf", "README.md", ".hidden.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    expected = [tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "sub" / "c.html"]
    assert expand_paths([tmp_path]) == expected
    assert expand_paths([tmp_path / "notes.pdf"]) == [tmp_path / "notes.pdf"]  # explicit: kept


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "no article text"),
        ("furniture.txt", b"0 Comments\nSee all\n", "after removing page furniture"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("controls.txt", bytes(range(1, 9)) * 50, "binary"),
        ("latin1.txt", "Peskov a déclaré".encode("latin-1"), "(byte 0xe9 at offset 10"),
        ("unclosed.md", b"---\ntitle: A\n\nBody\n", "never closed"),
        ("invalid.md", b"---\ntitle: [unclosed\n---\nBody\n", "not valid YAML"),
        ("list.md", b"---\n- a\n- b\n---\nBody\n", "key: value"),
        ("baddate.md", b"---\npublished: 21 April\n---\nBody\n", "`published`"),
        ("badflag.md", b"---\ndate_approximate: maybe\n---\nBody\n", "`date_approximate`"),
        ("badtitle.md", b"---\ntitle: {a: 1}\n---\nBody\n", "`title`"),
        ("article.pdf", b"%PDF-1.4", "unknown file type"),
    ],
)
def test_bad_input_gives_one_line_error(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as excinfo:
        read_articles(path)
    assert expected in one_line_error(excinfo, path)


def test_non_utf8_error_says_how_to_convert(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café".encode("latin-1"))
    with pytest.raises(InputError, match="iconv"):
        read_articles(path)


def test_huge_file(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("Word. " * 500, encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        read_articles(path)
    message = one_line_error(excinfo, path)
    assert "limit" in message and "split" in message


def test_default_limit_is_two_megabytes(tmp_path):
    assert decode.MAX_BYTES == 2_000_000
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (decode.MAX_BYTES + 1))
    with pytest.raises(InputError, match="2.0 MB"):
        read_articles(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError) as excinfo:
        read_articles(tmp_path / "nope.txt")
    assert "does not exist" in one_line_error(excinfo, tmp_path / "nope.txt")
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    with pytest.raises(InputError) as excinfo:
        read_articles(folder)
    assert "directory" in one_line_error(excinfo, folder)
    with pytest.raises(InputError):
        expand_paths([tmp_path / "nope"])


# --- normalisation and rules ----------------------------------------------------------------------


def test_normalise_layout_only():
    raw = "\n\n  Title\r\nLine one.   \rLine “two”.\n\n\n\n\nLast\u00a0line.\n\n"
    text, removed = normalise_text(raw, FurnitureRules())
    assert text == "  Title\nLine one.\nLine “two”.\n\nLast\u00a0line."
    assert removed == []


def test_rules_are_data(tmp_path):
    rules_path = tmp_path / "rules.toml"
    rules_path.write_text(
        'drop_repeated_lines = false\n[[rule]]\nname = "promo"\npattern = "buy now!?"\n',
        encoding="utf-8",
    )
    rules = FurnitureRules.load(rules_path)
    text, removed = normalise_text("Same line\nBUY NOW\nSame line\n0 Comments", rules)
    assert text == "Same line\nSame line\n0 Comments"  # default rules not applied
    assert removed == ["promo: BUY NOW"]


def test_bad_rules_file(tmp_path):
    rules_path = tmp_path / "rules.toml"
    rules_path.write_text('[[rule]]\nname = "x"\npattern = "("\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad regular expression"):
        FurnitureRules.load(rules_path)


def test_furniture_rules_need_a_whole_line():
    text, removed = normalise_text(
        "He said the category was wrong.\nRead more: elsewhere\nPeskov said: “Read more: later.”"
    )
    assert text == "He said the category was wrong.\nPeskov said: “Read more: later.”"
    assert removed == ["read-more: Read more: elsewhere"]


def test_reader_call_outs_are_furniture_but_sentences_about_them_are_kept():
    raw = (
        "The council voted to close the library.\n"
        "Have a tip? Email the newsroom at tips@example.org.\n"
        "Email any tips to the metro desk.\n"
        "Send us your stories about the library closure.\n"
        "Want the morning news? Sign up for our daily newsletter.\n"
        "(Subscribe to our city hall podcast on any app.)\n"
        "Volunteers can sign up for shifts at the branch, the mayor said.\n"
        "Police urged residents to send tips to the hotline."
    )
    text, removed = normalise_text(raw)
    assert text == (
        "The council voted to close the library.\n"
        "Volunteers can sign up for shifts at the branch, the mayor said.\n"
        "Police urged residents to send tips to the hotline."
    )
    assert [line.split(":")[0] for line in removed] == [
        "reader-tips",
        "reader-tips",
        "reader-stories",
        "sign-up",
        "subscribe",
    ]


def test_long_repeated_lines_are_kept():
    long_line = "Peskov said the talks would continue. " * 6
    text, removed = normalise_text(f"{long_line}\n{long_line}")
    assert removed == [] and text.count("Peskov") == 12


# --- dates ----------------------------------------------------------------------------------------


def test_infer_date_takes_latest_full_date():
    assert infer_date("Met on June 15, 2017 and again on 23 June 2025.") == dt.date(2025, 6, 23)
    assert infer_date("Talks on Dec. 14–15, 2025 in Berlin.") == dt.date(2025, 12, 15)
    assert infer_date("Filed 2025-06-23.") == dt.date(2025, 6, 23)
    assert infer_date("On Sept. 3rd, 2024 it rained.") == dt.date(2024, 9, 3)


def test_infer_date_is_conservative():
    assert infer_date("On Dec. 14–15 they met; on Wednesday and yesterday. In 2025 May.") is None
    assert infer_date("February 30, 2025") is None


def test_date_precedence(tmp_path):
    body = "Peskov spoke on June 23, 2025.\n"
    md = tmp_path / "dated.md"
    md.write_text(f"---\npublished: 2025-07-01\n---\n{body}", encoding="utf-8")
    approximate = tmp_path / "approx.md"
    approximate.write_text(
        f"---\npublished: 2025-07-01\ndate_approximate: true\n---\n{body}", encoding="utf-8"
    )
    plain = tmp_path / "plain.txt"
    plain.write_text(body, encoding="utf-8")
    undated = tmp_path / "undated.txt"
    undated.write_text("Peskov spoke on Wednesday.\n", encoding="utf-8")
    given = dt.date(2025, 8, 1)

    assert (read_one(md, published=given).published, read_one(md, published=given).date_status) == (
        given,
        DateStatus.GIVEN,
    )
    assert read_one(md).published == dt.date(2025, 7, 1)
    assert read_one(md).date_status is DateStatus.METADATA
    assert read_one(approximate).date_status is DateStatus.APPROXIMATE
    assert read_one(approximate, published=given).date_status is DateStatus.GIVEN
    assert read_one(plain).published == dt.date(2025, 6, 23)
    assert read_one(plain).date_status is DateStatus.INFERRED
    assert read_one(undated).published is None
    assert read_one(undated).date_status is DateStatus.UNDATED


def test_date_inferred_after_furniture_is_removed(tmp_path):
    # The only full date is in a photo caption, which is not part of the article.
    path = tmp_path / "a.txt"
    raw = "Peskov waits at the Kremlin in Moscow, June 23, 2025 (AP)\nPeskov spoke."
    path.write_text(raw, encoding="utf-8")
    assert read_one(path).date_status is DateStatus.UNDATED


def test_a_first_line_repeating_the_title_is_a_headline_not_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        '---\ntitle: "Minister calls for talks to resume"\n---\n'
        "Minister calls for talks to resume.\n\n"
        "The minister said on Monday that talks should resume.\n",
        encoding="utf-8",
    )
    (article,) = read_articles(path)
    assert article.text == "The minister said on Monday that talks should resume."
    assert article.removed == ["title repeated: Minister calls for talks to resume."]
    # A first sentence that only starts like the title stays.
    path.write_text(
        '---\ntitle: "Minister calls for talks"\n---\nMinister calls for talks to resume.\n',
        encoding="utf-8",
    )
    (article,) = read_articles(path)
    assert article.text == "Minister calls for talks to resume."
