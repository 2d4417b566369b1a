"""Reviewing positions from the command line: decisions and their history, CSV round trips,
decisions that follow the evidence through a re-extraction, and briefings that honour them."""

from __future__ import annotations

import csv
import getpass
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.errors import ReviewError
from briefing.review.deciding import approve, edit
from briefing.review.decisions import speaker_key
from briefing.review.listing import list_positions
from briefing.store.database import Store

from .reviewing import (
    BLOGGS_PLAN,
    DAY,
    PESKOV_SANCTIONS,
    PESKOV_TALKS,
    PUTIN_INJECTED,
    TEXT,
    Spec,
    store_positions,
)

runner = CliRunner()


def brief(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def listed(*args: str) -> dict[str, Any]:
    code, out, err = brief("review", "list", "--json", *args)
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def by_id(data: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in data["positions"]}


def history(position_id: int) -> list[dict[str, Any]]:
    code, out, err = brief("review", "show", "--json", str(position_id))
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)["history"]
    return rows


@pytest.fixture
def ids(tmp_path: Path) -> list[int]:
    """Positions 1-4: Peskov on talks (direct), Peskov on sanctions (reported), Bloggs on the
    plan (direct), and an injected one that failed validation."""
    return store_positions(tmp_path / "articles")


def generate() -> str:
    code, out, err = brief("generate", "--date", DAY)
    assert code == 0, err
    return out


def positions_section(markdown: str) -> str:
    return markdown.split("## Positions by topic")[1].split("## Sources")[0]


# state changes and history ------------------------------------------------------------------


def test_new_positions_are_pending_and_listed(ids: list[int]) -> None:
    data = listed("--date", DAY)
    rows = by_id(data)
    assert sorted(rows) == ids
    assert {r["status"] for r in rows.values()} == {"pending"}
    assert rows[ids[3]]["valid"] is False and "instruction" in rows[ids[3]]["reason"]
    assert rows[ids[0]]["quotes"] == ["We are ready for talks, but not at any price,"]
    code, out, err = brief("review", "list")
    assert code == 0 and out.count("\n") == 4
    assert "4 positions, 4 pending" in err


def test_approve_reject_edit_keep_who_when_what_and_why(ids: list[int]) -> None:
    talks, sanctions, plan, _ = ids
    code, out, err = brief("review", "approve", str(talks), "--reviewer", "alice")
    assert code == 0, err
    assert "approved 1 position" in err and f"{talks}" in out
    code, _, err = brief(
        "review", "reject", str(plan), "--note", "not about the talks", "--reviewer", "bob"
    )
    assert code == 0, err
    code, _, err = brief(
        "review",
        "edit",
        str(sanctions),
        "--topic",
        "peace_settlement",
        "--summary",
        "Peskov says sanctions will not change Russia's course.",
        "--note",
        "wrong topic",
        "--reviewer",
        "carol",
    )
    assert code == 0, err
    rows = by_id(listed())
    assert rows[talks]["status"] == "approved" and rows[talks]["reviewed_by"] == "alice"
    assert rows[plan]["status"] == "rejected" and rows[plan]["reviewed_by"] == "bob"
    edited = rows[sanctions]
    assert edited["status"] == "edited" and edited["edited_by"] == "carol"
    assert edited["topic"] == "peace_settlement"
    assert edited["edited"] == {
        "topic": "sanctions",
        "summary": "Peskov says sanctions will not change Moscow's course.",
    }
    (entry,) = history(plan)
    assert entry["action"] == "reject" and entry["reviewer"] == "bob"
    assert entry["note"] == "not about the talks"
    assert entry["changes"] == {"status": ["pending", "rejected"]}
    assert entry["at"].startswith("20")  # an ISO time
    (entry,) = history(sanctions)
    assert entry["changes"]["topic"] == ["sanctions", "peace_settlement"]
    assert entry["changes"]["status"] == ["pending", "edited"]
    # A later decision adds to the history; nothing is overwritten.
    assert brief("review", "approve", str(plan), "--reviewer", "alice")[0] == 0
    assert [h["action"] for h in history(plan)] == ["reject", "approve"]
    assert by_id(listed())[plan]["status"] == "approved"


def test_reviewer_comes_from_flag_then_config_then_os_user(ids: list[int], isolated: Path) -> None:
    assert brief("review", "approve", str(ids[0]))[0] == 0
    assert history(ids[0])[-1]["reviewer"] == getpass.getuser()
    (isolated / "config.toml").write_text('reviewer = "desk"\n')
    assert brief("review", "approve", str(ids[1]))[0] == 0
    assert history(ids[1])[-1]["reviewer"] == "desk"
    assert brief("review", "approve", str(ids[2]), "--reviewer", "dana")[0] == 0
    assert history(ids[2])[-1]["reviewer"] == "dana"


def test_several_ids_at_once_all_or_nothing(ids: list[int]) -> None:
    code, out, err = brief("review", "approve", str(ids[0]), str(ids[1]), "--reviewer", "a")
    assert code == 0 and "approved 2 positions" in err and out.count("\n") == 2
    code, _, err = brief("review", "reject", str(ids[2]), "999", "--reviewer", "a")
    assert code == 1 and err.count("\n") == 1 and "no position 999" in err
    assert by_id(listed())[ids[2]]["status"] == "pending"  # the good id was not applied either


def test_evidence_can_only_move_to_sentences_of_the_same_article(ids: list[int]) -> None:
    talks = ids[0]
    code, _, err = brief("review", "edit", str(talks), "--evidence", "S99")
    assert code == 1 and "no sentence S99" in err and "S1 to S7" in err
    code, _, err = brief("review", "edit", str(talks), "--evidence", "“We will sign”")
    assert code == 1 and "not a list of sentence numbers" in err
    # A summary cannot smuggle in a quotation the article does not contain.
    code, _, err = brief("review", "edit", str(talks), "--summary", "He said “we will sign today”.")
    assert code == 1 and "not in its evidence" in err
    assert by_id(listed())[talks]["status"] == "pending"
    code, _, err = brief("review", "edit", str(talks), "--evidence", "S5", "--speaker", "Jo Bloggs")
    assert code == 0, err
    row = by_id(listed())[talks]
    assert row["evidence"] == [5] and row["quotes"] == ["It is a good plan for everyone,"]
    for quote in row["quotes"]:
        assert quote in TEXT  # copied by the program from the new evidence
    assert row["edited"]["evidence"] == [2]


def test_editing_back_to_the_model_value_drops_the_edit(ids: list[int]) -> None:
    talks = ids[0]
    assert brief("review", "edit", str(talks), "--stance", "supports")[0] == 0
    assert by_id(listed())[talks]["status"] == "edited"
    assert brief("review", "edit", str(talks), "--stance", "conditional")[0] == 0
    row = by_id(listed())[talks]
    assert row["status"] == "approved" and row["edited"] == {}
    code, _, err = brief("review", "edit", str(talks), "--stance", "conditional")
    assert code == 1 and "nothing to edit" in err
    code, _, err = brief("review", "edit", str(talks), "--stance", "furious")
    assert code == 1 and "not one of supports" in err
    code, _, err = brief("review", "edit", str(talks))
    assert code == 2 and "say what to change" in err


def test_failed_validation_can_be_rejected_not_approved(ids: list[int]) -> None:
    injected = ids[3]
    code, _, err = brief("review", "approve", str(injected))
    assert code == 1 and "failed validation" in err and "reject it" in err
    code, _, err = brief("review", "edit", str(injected), "--summary", "Putin agreed to talks.")
    assert code == 1 and "failed validation" in err
    assert brief("review", "reject", str(injected))[0] == 0
    assert by_id(listed())[injected]["status"] == "rejected"


def test_show_puts_the_evidence_in_its_context(ids: list[int]) -> None:
    code, out, err = brief("review", "show", str(ids[0]))
    assert code == 0, err
    assert f"Position {ids[0]}: pending" in out
    assert ">> [S2] “«We are ready for talks, but not at any price,»” Peskov said." in out
    assert "   [S1] Kremlin spokesman" in out and "   [S4] Foreign Minister" in out
    assert "[S5]" not in out  # two sentences either side by default
    assert "History: none" in out
    code, out, _ = brief("review", "show", str(ids[0]), "--context", "-1")
    assert "[S7]" in out
    code, out, err = brief("review", "show", "12345")
    assert code == 1 and "no position 12345" in err


def test_list_filters_by_status_topic_and_actor(ids: list[int]) -> None:
    approve_ids = [str(ids[0])]
    assert brief("review", "approve", *approve_ids)[0] == 0
    assert list(by_id(listed("--status", "approved"))) == [ids[0]]
    assert sorted(by_id(listed("--status", "pending"))) == ids[1:]
    assert list(by_id(listed("--status", "invalid"))) == [ids[3]]
    assert list(by_id(listed("--topic", "sanctions"))) == [ids[1]]
    assert sorted(by_id(listed("--actor", "peskov"))) == ids[:2]
    assert by_id(listed("--date", "2024-01-01")) == {}
    code, _, err = brief("review", "list", "--status", "maybe")
    assert code == 2 and "use one of" in err
    code, _, err = brief("review", "list", "--date", "yesterday")
    assert code == 2


def test_speaker_key_ignores_first_names_and_titles() -> None:
    assert speaker_key("Dmitry Peskov") == speaker_key("Peskov") == speaker_key("Mr. Peskov")
    assert speaker_key("Kremlin spokesman Peskov’s") == "peskov"
    assert speaker_key("Jo Bloggs") != speaker_key("Dmitry Peskov")


# CSV ----------------------------------------------------------------------------------------


def export(tmp_path: Path, *args: str) -> tuple[Path, list[dict[str, str]]]:
    path = tmp_path / "review.csv"
    code, _, err = brief("review", "export", "--date", DAY, "-o", str(path), *args)
    assert code == 0, err
    with path.open(encoding="utf-8-sig", newline="") as f:
        return path, list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_csv_round_trip(ids: list[int], tmp_path: Path) -> None:
    path, rows = export(tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets need the BOM for UTF-8
    assert [int(r["id"]) for r in rows] == ids
    assert rows[0]["evidence"] == "S2" and rows[0]["quotes"].startswith("We are ready")
    rows[0]["status"] = "approved"
    rows[1]["summary"] = "Peskov says sanctions will not change Russia's course."
    rows[1]["evidence"] = "S1, S3"
    rows[2]["status"] = "rejected"
    rows[2]["note"] = "duplicate of another report"
    write_rows(path, rows)
    code, _, err = brief("review", "import", str(path), "--reviewer", "erin")
    assert code == 0, err
    assert "3 decisions recorded, 1 rows unchanged" in err
    now = by_id(listed())
    assert now[ids[0]]["status"] == "approved" and now[ids[0]]["reviewed_by"] == "erin"
    assert now[ids[1]]["status"] == "edited"
    assert now[ids[1]]["evidence"] == [1, 3]
    assert now[ids[2]]["status"] == "rejected"
    assert history(ids[2])[-1]["action"] == "import"
    assert history(ids[2])[-1]["note"] == "duplicate of another report"
    # Exported again, the file says what was imported, and importing it again changes nothing.
    _, again = export(tmp_path)
    assert again[1]["summary"] == rows[1]["summary"] and again[1]["evidence"] == "S1 S3"
    assert [r["status"] for r in again] == ["approved", "edited", "rejected", "pending"]
    write_rows(path, again)
    code, _, err = brief("review", "import", str(path))
    assert code == 0 and "0 decisions recorded, 4 rows unchanged" in err


def test_malformed_csv_changes_nothing(ids: list[int], tmp_path: Path) -> None:
    path, rows = export(tmp_path)
    rows[0]["status"] = "approved"  # a good row: it must not be applied either
    rows[1]["stance"] = "angry"
    rows[2]["evidence"] = "S42"
    rows[3]["status"] = "approved"  # failed validation
    unknown = dict(rows[0], id="999")
    duplicate = dict(rows[0])
    write_rows(path, [*rows, unknown, duplicate])
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write("not-a-number,approved,,,,,,,,,,,,,,\r\n")
    code, out, err = brief("review", "import", str(path))
    assert code == 1 and out == ""
    assert "6 rows cannot be imported, so nothing was" in err
    for expected in (
        "row 3 ",
        "stance 'angry'",
        "row 4 ",
        "no sentence S42",
        "row 5 ",
        "failed validation",
        "no position 999",
        "also on row 2",
        "'not-a-number' is not a position number",
    ):
        assert expected in err, expected
    # A quotation typed into the spreadsheet is refused: quotes come from the article only.
    _, rows = export(tmp_path)
    rows[0]["status"] = "approved"
    rows[1]["quotes"] = "We will sign today"
    write_rows(path, rows)
    code, _, err = brief("review", "import", str(path))
    assert code == 1 and f"row 3 (position {ids[1]}): the quotes column was changed" in err
    assert {r["status"] for r in listed()["positions"]} == {"pending"}
    assert all(history(i) == [] for i in ids)
    path.write_text("id,status\n1,approved\n", encoding="utf-8")
    code, _, err = brief("review", "import", str(path))
    assert code == 1 and "lacks the columns speaker" in err


# re-extraction ------------------------------------------------------------------------------


def test_decisions_follow_the_evidence_into_a_new_extraction(
    ids: list[int], tmp_path: Path
) -> None:
    talks, sanctions, plan, _ = ids
    assert brief("review", "approve", str(talks), "--reviewer", "alice")[0] == 0
    assert brief("review", "edit", str(sanctions), "--topic", "peace_settlement")[0] == 0
    assert brief("review", "reject", str(plan), "--note", "off topic")[0] == 0
    # A new prompt gives the same positions, in another order, as new rows with new ids.
    new = store_positions(
        tmp_path / "articles",
        [BLOGGS_PLAN, PUTIN_INJECTED, PESKOV_SANCTIONS, PESKOV_TALKS],
        prompt_id="newprompt00",
    )
    assert not set(new) & set(ids)
    rows = by_id(listed())
    assert sorted(rows) == sorted(new)
    plan2, _, sanctions2, talks2 = new
    assert rows[talks2]["status"] == "approved" and rows[talks2]["reviewed_by"] == "alice"
    assert rows[sanctions2]["status"] == "edited"
    assert rows[sanctions2]["topic"] == "peace_settlement"
    assert rows[plan2]["status"] == "rejected"
    assert all(r["conflict"] is None for r in rows.values())
    assert listed("--status", "conflict") == {"positions": [], "unmatched": []}
    # The history of the decision is shown on the new position too.
    assert [h["action"] for h in history(plan2)] == ["reject"]


def test_same_model_and_prompt_again_keeps_decisions(ids: list[int], tmp_path: Path) -> None:
    assert brief("review", "approve", str(ids[0]))[0] == 0
    new = store_positions(tmp_path / "articles")  # replaces the extraction, new position ids
    assert by_id(listed())[new[0]]["status"] == "approved"


def test_changed_answers_are_conflicts_never_silent(ids: list[int], tmp_path: Path) -> None:
    talks, sanctions, plan, _ = ids
    assert brief("review", "approve", str(talks), "--reviewer", "alice")[0] == 0
    assert brief("review", "reject", str(plan), "--reviewer", "bob")[0] == 0
    assert brief("review", "edit", str(sanctions), "--topic", "peace_settlement")[0] == 0
    new_talks = Spec(**{**PESKOV_TALKS.__dict__, "stance": "supports"})
    new_plan = Spec(**{**BLOGGS_PLAN.__dict__, "summary": "Bloggs likes the plan."})
    # The model now reads the sanctions sentence with the next one: other evidence.
    moved = Spec(**{**PESKOV_SANCTIONS.__dict__, "evidence": [3, 4]})
    new = store_positions(
        tmp_path / "articles", [new_talks, moved, new_plan], prompt_id="newprompt00"
    )
    talks2, moved2, plan2 = new
    rows = by_id(listed())
    # An approval of other values does not carry over: pending again, with the reason.
    assert rows[talks2]["status"] == "pending"
    assert "approved by alice" in rows[talks2]["conflict"]
    assert "stance 'conditional' → 'supports'" in rows[talks2]["conflict"]
    # A rejection stays a rejection (the safe side), flagged all the same.
    assert rows[plan2]["status"] == "rejected" and "summary" in rows[plan2]["conflict"]
    assert rows[moved2]["status"] == "pending" and rows[moved2]["conflict"] is None
    conflicts = listed("--status", "conflict")
    assert sorted(by_id(conflicts)) == sorted([talks2, plan2])
    (orphan,) = conflicts["unmatched"]
    assert orphan["status"] == "edited" and orphan["evidence"] == [3]
    code, out, _ = brief("review", "list", "--status", "conflict")
    assert f"{orphan['id']}  conflict" in out and "no position of the latest extraction" in out
    # Deciding again settles a conflict; a decision with nowhere to go is dismissed.
    assert brief("review", "approve", str(talks2))[0] == 0
    code, _, err = brief("review", "dismiss", orphan["id"], "--note", "merged by the model")
    assert code == 0, err
    after = listed("--status", "conflict")
    assert list(by_id(after)) == [plan2] and after["unmatched"] == []
    code, _, err = brief("review", "dismiss", "d9999")
    assert code == 1 and "no decision d9999" in err


def test_model_now_agreeing_with_an_edit_is_no_conflict(ids: list[int], tmp_path: Path) -> None:
    assert (
        brief("review", "edit", str(ids[1]), "--topic", "peace_settlement", "--reviewer", "carol")[
            0
        ]
        == 0
    )
    agreeing = Spec(**{**PESKOV_SANCTIONS.__dict__, "topic": "peace_settlement"})
    (new,) = store_positions(tmp_path / "articles", [agreeing], prompt_id="newprompt00")
    row = by_id(listed())[new]
    assert row["status"] == "edited" and row["conflict"] is None
    assert row["topic"] == "peace_settlement" and row["edited"] == {}


def test_library_functions_refuse_unknown_ids(ids: list[int]) -> None:
    settings = load_settings()
    with Store(settings.store_path) as store:
        with pytest.raises(ReviewError, match="no position 77"):
            approve(store, [ids[0], 77], "x")
        with pytest.raises(ReviewError, match="cannot be edited"):
            edit(store, [ids[0]], {"quotes": "invented"}, "x")
        assert all(i.position.review_status == "pending" for i in list_positions(store).items)


# the briefing -------------------------------------------------------------------------------


def test_briefing_marks_reviews_leaves_out_rejections_and_shows_edits(ids: list[int]) -> None:
    before = generate()
    positions = positions_section(before)
    assert "not reviewed" not in positions  # nobody reviewed anything: no marks at all
    assert "Putin agreed" not in positions and "Putin agreed" in before.split("## Needs review")[1]
    talks, sanctions, plan, injected = ids
    assert brief("review", "approve", str(talks), "--reviewer", "alice")[0] == 0
    assert (
        brief(
            "review",
            "edit",
            str(sanctions),
            "--summary",
            "Peskov rules out a change of course under sanctions.",
            "--reviewer",
            "carol",
        )[0]
        == 0
    )
    assert brief("review", "reject", str(plan), str(injected), "--reviewer", "bob")[0] == 0
    after = generate()
    positions = positions_section(after)
    assert "but not at any price,” [1] *(reviewed by alice)*" in positions
    assert "*(edited by carol: summary)*" in positions
    assert positions.count("*(not reviewed)*") == 0
    assert "Bloggs" not in positions and "good plan" not in after
    assert "2 positions rejected by an analyst are left out." in after
    assert "Putin agreed" not in after.split("## Needs review")[1]  # dismissed by a reviewer
    # The injected sentence itself stays listed, by number only, as a suspected instruction.
    assert "\n2 articles" not in after and "1 article, 2 positions, 1 item to review." in after
    assert "Source [1] S7: a suspected instruction" in after.split("## Needs review")[1]


def test_require_review_briefs_only_approved_positions(ids: list[int], isolated: Path) -> None:
    (isolated / "config.toml").write_text("require_review = true\n")
    out = generate()
    assert "No statements were briefed." in out
    assert (
        "Only positions an analyst approved are shown: 3 more wait for review "
        f"(`brief review list --date {DAY} --status pending`)."
    ) in out
    assert "Putin agreed" in out.split("## Needs review")[1]  # validation failures still listed
    assert brief("review", "approve", str(ids[0]))[0] == 0
    assert brief("review", "edit", str(ids[1]), "--stance", "neutral")[0] == 0
    out = generate()
    positions = positions_section(out)
    assert "ready for talks" in positions and "*neutral*" in positions
    assert "Bloggs" not in positions
    assert "1 more waits for review" in out
    # The injected position, and its sentence as a suspected instruction (by number only).
    assert "1 article, 2 positions, 2 items to review." in out


def test_require_review_must_be_true_or_false(isolated: Path, ids: list[int]) -> None:
    (isolated / "config.toml").write_text('require_review = "yes"\n')
    code, _, err = brief("review", "list")
    assert code == 1 and "require_review = 'yes' is not a boolean" in err


def test_export_to_stdout_is_csv(ids: list[int]) -> None:
    code, out, err = brief("review", "export", "--status", "invalid")
    assert code == 0 and "exported 1 positions" in err
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["valid"].startswith("no: cites S7")


def test_fully_reviewed_articles_export_as_gold_for_eval(ids: list[int], tmp_path: Path) -> None:
    from briefing.evaluate.gold import read_gold

    gold = tmp_path / "gold.json"
    code, _, err = brief("review", "export-gold", str(gold))
    assert code == 1 and "no article has all its positions reviewed" in err
    assert not gold.exists()
    assert brief("review", "approve", str(ids[0]))[0] == 0
    assert brief("review", "edit", str(ids[2]), "--evidence", "4,5")[0] == 0
    assert brief("review", "reject", str(ids[1]), str(ids[3]))[0] == 0
    code, _, err = brief("review", "export-gold", str(gold))
    assert code == 0, err
    assert "exported 1 article, 2 positions" in err and f"brief eval {gold}" in err
    (document,) = read_gold(gold)
    contents = sorted(
        " ".join(document.text[a:b] for a, b in attribution.content)
        for attribution in document.attributions
    )
    # The approved quotation, and the edited one as edited: the rejected ones are not gold.
    assert contents == [
        "It is a good plan for everyone,",
        "We are ready for talks, but not at any price,",
    ]
