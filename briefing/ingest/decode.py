"""Bytes to text: size limit, encodings (UTF-8, UTF-16/32 with or without BOM), and refusing
binary files, each with a one-line `InputError` that says what to do.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from briefing.errors import InputError

# Read at call time (not bound as a default argument) so tests and callers can lower it.
MAX_BYTES = 2_000_000

# Share of control characters above which decoded text is treated as a binary file: real
# articles have essentially none, binary formats that happen to decode have many.
_BINARY_CONTROL_SHARE = 0.05
# Control characters (Unicode category Cc) other than tab, line feed, vertical tab, form feed, CR.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def check_size(where: str, size: int) -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"{where} is {size / 1_000_000:.1f} MB, over the {MAX_BYTES / 1_000_000:.1f} MB limit "
            "for one article; split it into smaller files"
        )


def wide_encoding(data: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding `data` is in, or None. A byte-order mark says so; without
    one, text in UTF-16 has a NUL byte in every other position for each ASCII character, on the
    odd bytes (little-endian) or the even ones (big-endian), which binary formats do not."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 8 or len(data) % 2:
        return None
    nul_even = sample[0::2].count(0) / len(sample[0::2])
    nul_odd = sample[1::2].count(0) / len(sample[1::2])
    if nul_odd > 0.3 and nul_even < 0.02:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.02:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, where: str) -> str:
    """Bytes to str: UTF-8, or UTF-16/32 (with a byte-order mark, or UTF-16 without one);
    binary data and other encodings are refused with a message saying how to convert them."""
    wide = wide_encoding(data)
    if wide is not None:
        try:
            return _not_binary(data.decode(wide).removeprefix("\ufeff"), where)
        except UnicodeDecodeError:
            raise InputError(
                f"{where} looks like {wide.upper()} text but does not decode as it; convert it "
                f"with `iconv -f {wide.upper()} -t UTF-8`"
            ) from None
    if b"\x00" in data:
        raise InputError(
            f"{where} looks like a binary file (it contains NUL bytes); give a text file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise InputError(
            f"{where} is not UTF-8 text (byte 0x{bad:02x} at offset {exc.start}); convert it with "
            "`iconv -f <its encoding, e.g. cp1252> -t utf-8`"
        ) from None
    return _not_binary(text, where)


def _not_binary(text: str, where: str) -> str:
    controls = len(_CONTROL_RE.findall(text))
    if text and controls / len(text) > _BINARY_CONTROL_SHARE:
        raise InputError(
            f"{where} looks like a binary file (many control characters); give a text file"
        )
    return text


def check_file(path: Path) -> int:
    """The file's size, after refusing paths that are not a non-empty regular file."""
    if not path.exists():
        raise InputError(f"{path} does not exist; check the path")
    if path.is_dir():
        raise InputError(f"{path} is a directory; pass the files in it instead")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path} is empty; give a file with article text")
    return size


def read_text_file(path: Path) -> str:
    check_size(str(path), check_file(path))
    return decode_bytes(path.read_bytes(), str(path))
