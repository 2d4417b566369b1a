"""The embedded model's weights and file checks, without the real model or its server."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import types
from pathlib import Path

import pytest

from briefing.errors import BriefError, ModelError
from briefing.llm import local


@pytest.fixture(autouse=True)
def isolated_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEF_MODEL", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def fake_parts(tmp_path: Path) -> tuple[list[Path], int, str]:
    """Three small pieces standing in for the 22 real ones, with their total size and hash."""
    pieces = [b"GGUF" + b"a" * 1000, b"b" * 3000, b"c" * 17]
    paths = []
    for i, data in enumerate(pieces, start=1):
        path = tmp_path / f"part{i:02d}.bin"
        path.write_bytes(data)
        paths.append(path)
    whole = b"".join(pieces)
    return paths, len(whole), hashlib.sha256(whole).hexdigest()


def test_default_model_path_is_under_cache_dir(isolated_cache: Path) -> None:
    expected = isolated_cache / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    assert local.default_model_path() == expected


def test_assemble_concatenates_in_order_and_checks(
    fake_parts: tuple[list[Path], int, str], tmp_path: Path
) -> None:
    parts, size, sha256 = fake_parts
    dest = tmp_path / "models" / "m.gguf"
    assert local.assemble(parts, dest, size, sha256) == dest
    assert dest.read_bytes() == b"".join(p.read_bytes() for p in parts)
    assert local.verify_model(dest, sha256, size)
    assert {p.name for p in dest.parent.iterdir()} == {"m.gguf", "m.gguf.sha256"}  # no temp left


@pytest.mark.parametrize("wrong", ["hash", "size"])
def test_assemble_mismatch_leaves_nothing(
    fake_parts: tuple[list[Path], int, str], tmp_path: Path, wrong: str
) -> None:
    parts, size, sha256 = fake_parts
    if wrong == "hash":
        sha256 = "0" * 64
    else:
        size += 1
    dest = tmp_path / "models" / "m.gguf"
    with pytest.raises(ModelError, match="reinstall") as info:
        local.assemble(parts, dest, size, sha256)
    assert "\n" not in str(info.value)
    assert list(dest.parent.iterdir()) == []  # neither the file nor a temporary one


def test_ensure_weights_assembles_once_then_trusts_sidecar(
    fake_parts: tuple[list[Path], int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts, size, sha256 = fake_parts
    monkeypatch.setattr(local, "part_paths", lambda: parts)
    dest = tmp_path / "m.gguf"
    assert local.ensure_weights(dest, size, sha256) == dest

    # A second run neither reassembles nor rehashes: the sidecar vouches for the file.
    monkeypatch.setattr(local, "part_paths", _fail)
    monkeypatch.setattr(local, "_sha256_file", _fail)
    assert local.ensure_weights(dest, size, sha256) == dest


def test_ensure_weights_rehashes_without_sidecar(
    fake_parts: tuple[list[Path], int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts, size, sha256 = fake_parts
    dest = tmp_path / "m.gguf"
    local.assemble(parts, dest, size, sha256)
    local._sidecar(dest).unlink()
    monkeypatch.setattr(local, "part_paths", _fail)
    assert local.ensure_weights(dest, size, sha256) == dest
    assert local._sidecar(dest).exists()


def test_ensure_weights_rebuilds_a_corrupted_file(
    fake_parts: tuple[list[Path], int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts, size, sha256 = fake_parts
    monkeypatch.setattr(local, "part_paths", lambda: parts)
    dest = tmp_path / "m.gguf"
    local.ensure_weights(dest, size, sha256)
    # Same size, different bytes, and a stale sidecar: the mtime no longer matches.
    data = bytearray(dest.read_bytes())
    data[10] ^= 0xFF
    dest.write_bytes(bytes(data))
    stat = dest.stat()
    local._sidecar(dest).write_text('{"stale": true}')
    assert stat.st_size == size
    local.ensure_weights(dest, size, sha256)
    assert local.verify_model(dest, sha256, size)


def test_verify_model_detects_a_changed_byte(
    fake_parts: tuple[list[Path], int, str], tmp_path: Path
) -> None:
    parts, size, sha256 = fake_parts
    dest = local.assemble(parts, tmp_path / "m.gguf", size, sha256)
    data = bytearray(dest.read_bytes())
    data[-1] ^= 0x01
    dest.write_bytes(bytes(data))
    assert not local.verify_model(dest, sha256, size)
    assert not local.verify_model(tmp_path / "missing.gguf", sha256, size)


def test_missing_packages_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "PART_MODULES", (*local.PART_MODULES[:-1], "no_such_part_module"))
    assert not local.weights_installed()
    with pytest.raises(ModelError) as info:
        local.ensure_weights()
    message = str(info.value)
    assert message == (  # this test runs from a checkout
        "the embedded model is not installed: run `pip install -e '.[local]'` in the checkout "
        "(or set OPENAI_API_KEY / OPENAI_BASE_URL to use a remote model)"
    )
    assert isinstance(info.value, BriefError)


def test_outside_a_checkout_the_hint_names_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # a wheel install: no pyproject.toml two levels above the package (issue 19 item 17)
    fake = tmp_path / "site-packages" / "briefing" / "llm" / "local.py"
    monkeypatch.setattr(local, "__file__", str(fake))
    assert local.install_hint() == "`pip install 'brief[local]'`"


def test_missing_packages_stops_start_before_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "PART_MODULES", ("no_such_part_module",))
    with pytest.raises(ModelError, match="not installed"):
        local.LocalModel.start()


def test_part_paths_come_from_the_packages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    piece = tmp_path / "piece.bin"
    piece.write_bytes(b"x")
    fake = types.ModuleType("fake_part")
    fake.get_part_path = lambda: str(piece)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_part", fake)
    monkeypatch.setattr(local, "PART_MODULES", ("fake_part", "fake_part"))
    assert local.part_paths() == [piece, piece]


def test_weights_installed_matches_environment() -> None:
    expected = all(importlib.util.find_spec(n) is not None for n in local.PART_MODULES)
    assert local.weights_installed() is expected
    assert len(local.PART_MODULES) == 22


def test_named_gguf_is_accepted_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF\x03\x00\x00\x00rest")
    monkeypatch.setattr(local, "ensure_weights", _fail)
    assert local.resolve_model_path(model) == model
    assert local.resolve_model_path(str(model)) == model
    monkeypatch.setenv("BRIEF_MODEL", str(model))
    assert local.resolve_model_path() == model


def test_default_name_means_the_embedded_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "ensure_weights", lambda: Path("/assembled.gguf"))
    monkeypatch.setenv("BRIEF_MODEL", local.DEFAULT_MODEL_NAME)
    assert local.resolve_model_path() == Path("/assembled.gguf")


def test_named_file_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "weights.bin"
    model.write_bytes(b"PK\x03\x04 a zip file")
    with pytest.raises(ModelError, match="not a GGUF") as info:
        local.resolve_model_path(model)
    assert "\n" not in str(info.value)


def test_named_file_that_does_not_exist_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEF_MODEL", str(tmp_path / "nowhere.gguf"))
    with pytest.raises(ModelError, match="BRIEF_MODEL"):
        local.resolve_model_path()


def test_thread_count_is_capped() -> None:
    assert 1 <= local._thread_count() <= local.MAX_THREADS


def _fail(*args: object, **kwargs: object) -> None:
    raise AssertionError("should not be called")
