"""The rule files have schemas (issue 19 item 14): a misspelt table or key in any of them stops
the program with one line naming the file, the table and the key, instead of turning a rule off
without a word; the shipped files all fit; and the topic list is parsed once per process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.errors import BriefError
from briefing.extract.items import load_propositions
from briefing.extract.prompts import load_topics
from briefing.extract.stance import DEFAULT_LEXICON, load_lexicon
from briefing.extract.topics import DEFAULT_TOPICS, load_keywords, load_sideless, load_titles
from briefing.extract.worth_rules import DEFAULT_RULES, load_rules
from briefing.find import gender, lexicon, wordfiles
from briefing.ingest.normalise import DEFAULT_RULES_PATH, FurnitureRules
from briefing.resources import CHECKOUT_DIR
from briefing.track.actors import DEFAULT_ACTORS, load_actors

FIND_DIR = Path(wordfiles.__file__).parent
USER_TOPICS = CHECKOUT_DIR / "bench" / "judged" / "topics-2016.toml"


def misspelt(source: Path, folder: Path, line: str, wrong: str) -> Path:
    """A copy of `source` in `folder` with the first line matching `line` (a regex) replaced."""
    text, count = re.subn(line, wrong, source.read_text(encoding="utf-8"), 1, flags=re.MULTILINE)
    assert count == 1, f"{line!r} is not in {source}"
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / source.name
    copy.write_text(text, encoding="utf-8")
    return copy


def refused(load: Callable[[], object]) -> str:
    with pytest.raises(BriefError) as caught:
        load()
    message = str(caught.value)
    assert "\n" not in message
    return message


# a typo in each kind of file ------------------------------------------------------------------


def test_a_misspelt_topics_table_is_refused(tmp_path: Path) -> None:
    # Before: [keyword] was read as no keywords at all, and topic correction silently stopped.
    path = misspelt(DEFAULT_TOPICS, tmp_path, r"^\[keywords\]", "[keyword]")
    assert refused(lambda: load_keywords(path)) == (
        f"{path}: unknown table [keyword] (did you mean [keywords]?)"
    )


def test_a_topics_key_that_names_no_topic_is_refused(tmp_path: Path) -> None:
    path = misspelt(DEFAULT_TOPICS, tmp_path, r"^sanctions = \[", "sanction = [")
    assert refused(lambda: load_keywords(path)) == (
        f"{path}: [keywords] 'sanction' is not a topic of [topics] (did you mean 'sanctions'?)"
    )


def test_a_users_topics_file_is_named_in_the_error(isolated: Path, tmp_path: Path) -> None:
    path = misspelt(USER_TOPICS, tmp_path / "mine", r"^\[titles\]", "[title]")
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(f'topics_file = "{path}"\n', encoding="utf-8")
    settings = load_settings()
    expected = f"{path}: unknown table [title] (did you mean [titles]?)"
    assert refused(lambda: load_topics(settings.topics_file)) == expected
    report = CliRunner().invoke(app, ["doctor", "--json", "--no-full-hash"])
    assert json.loads(report.stdout)["topics"] == expected


def test_a_misspelt_stance_key_is_refused(tmp_path: Path) -> None:
    # Before: `idiom` was ignored, and "not only", "no doubt" were read as negations again.
    path = misspelt(DEFAULT_LEXICON, tmp_path, r"^idioms =", "idiom =")
    assert refused(lambda: load_lexicon(path)) == (
        f"{path}: unknown key 'idiom' in [negators] (did you mean 'idioms'?)"
    )


def test_a_misspelt_position_rule_is_refused(tmp_path: Path) -> None:
    path = misspelt(DEFAULT_RULES, tmp_path, r"^times =", "time =")
    assert refused(lambda: load_rules(path)) == (
        f"{path}: unknown key 'time' in [schedule] (did you mean 'times'?)"
    )


def test_a_misspelt_furniture_key_is_refused(tmp_path: Path) -> None:
    # Before: `drop_nxt` was ignored, and the linked headline after "RELATED:" stayed in.
    path = misspelt(DEFAULT_RULES_PATH, tmp_path, r"^drop_next = true", "drop_nxt = true")
    assert refused(lambda: FurnitureRules.load(path)) == (
        f"{path}: unknown key 'drop_nxt' in [[rule]] 1 (did you mean 'drop_next'?)"
    )


def test_a_misspelt_actor_key_is_refused(isolated: Path, tmp_path: Path) -> None:
    path = misspelt(DEFAULT_ACTORS, tmp_path, r"^metonyms =", "metonym =")
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(f'actors_file = "{path}"\n', encoding="utf-8")
    settings = load_settings()
    assert refused(lambda: load_actors(settings)) == (
        f"{path}: unknown key 'metonym' in [actors.kremlin] (did you mean 'metonyms'?)"
    )


def test_a_misspelt_table_in_the_review_alias_file_is_refused(isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    path = isolated / "actors.toml"
    path.write_text('[alias]\n"Moscow" = "kremlin"\n', encoding="utf-8")
    settings = load_settings()
    assert refused(lambda: load_actors(settings)) == (
        f"{path}: unknown table [alias] (did you mean [aliases]?)"
    )


def test_a_misspelt_cue_table_is_refused(finder_files: Path) -> None:
    path = misspelt(FIND_DIR / "cues.toml", finder_files, r"^\[adverbials\]", "[adverbial]")
    assert refused(lexicon.lexicon) == (
        f"{path}: unknown table [adverbial] (did you mean [adverbials]?)"
    )


def test_a_misspelt_word_list_is_refused(finder_files: Path) -> None:
    path = misspelt(FIND_DIR / "words.toml", finder_files, r"^credits =", "credit =")
    assert refused(lexicon.lexicon) == (
        f"{path}: unknown key 'credit' in [lines] (did you mean 'credits'?)"
    )


def test_a_value_of_the_wrong_type_names_table_and_key(tmp_path: Path) -> None:
    path = misspelt(DEFAULT_RULES, tmp_path, r"^max_words = 4", 'max_words = "4"')
    assert refused(lambda: load_rules(path)) == (
        f"{path}: [fragments] max_words = '4' is not a whole number"
    )


# the shipped files ----------------------------------------------------------------------------


def test_the_shipped_rule_files_and_the_judged_topics_all_load(tmp_path: Path) -> None:
    for topics in (None, USER_TOPICS):
        listed = load_topics(topics)
        assert listed and load_propositions(listed, topics).keys() == listed.keys()
        assert set(load_keywords(topics)) <= set(listed)
        assert load_sideless(topics) <= set(listed)
        assert load_titles(listed, topics).keys() == listed.keys()
    assert load_lexicon().negative and load_lexicon().negators
    assert load_rules().evidential and load_rules().outlet_nouns
    assert FurnitureRules.load().rules
    assert load_actors(load_settings(home=tmp_path)).actors
    assert lexicon.lexicon().verb_forms and gender.gender_words().given


# parsed once ----------------------------------------------------------------------------------

_COUNT_PARSES = """
import tomllib
from collections import Counter

parses = Counter()
real = tomllib.loads


def counting(text, **kwargs):
    parses[text] += 1
    return real(text, **kwargs)


tomllib.loads = counting
from briefing.extract.items import load_propositions
from briefing.extract.prompts import load_topics
from briefing.extract.topics import DEFAULT_TOPICS, load_keywords, load_sideless, load_titles
from briefing.track.tracking import load_keywords as tracking_keywords

# What `brief run` reads of the topic list: extraction, the briefing's headings, tracking.
topics = load_topics()
load_propositions(topics)
load_keywords()
load_sideless()
load_titles(topics)
tracking_keywords(None)
print(parses[DEFAULT_TOPICS.read_text(encoding="utf-8")])
"""


def test_the_topic_list_is_parsed_once_per_process() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _COUNT_PARSES],
        capture_output=True,
        text=True,
        check=True,
        cwd=CHECKOUT_DIR,
    )
    assert out.stdout.strip() == "1"
