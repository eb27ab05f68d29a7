"""Turn file bytes into text, or say exactly why that is not possible."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from copilot.errors import DataError

_BOMS = {
    b"\xef\xbb\xbf": "utf-8-sig",
    b"\xff\xfe": "utf-16",
    b"\xfe\xff": "utf-16",
}
# Control bytes that never occur in text files (NUL, and C0 codes other than tab/newline/CR/FF/ESC).
_BINARY_BYTES = set(range(0, 9)) | {11} | set(range(14, 27)) | set(range(28, 32))


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we read: NULs or many control codes."""
    sample = data[:8192]
    if any(sample.startswith(bom) for bom in _BOMS):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in _BINARY_BYTES)
    return bool(sample) and controls / len(sample) > 0.05


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). Raises DataError for empty, binary or undecodable input."""
    if not data.strip():
        raise DataError("empty file", file=path, fix="check that the export finished writing")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataError(f"cannot decode as {encoding}: {exc}", file=path,
                            fix="pass the file's real encoding") from exc
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            return data.decode(name), name
    if looks_binary(data):
        raise DataError("binary file, not text", file=path,
                        fix="give a CSV, TSV, JSON, JSONL or Parquet file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # Valid multi-byte UTF-8 elsewhere in the file means it is UTF-8 with corrupt bytes, not
    # another encoding: guessing a legacy code page would silently turn the good text into mojibake.
    good_utf8 = data.decode("utf-8", errors="ignore")
    if any(ord(ch) > 127 for ch in good_utf8):
        bad = data[utf8_error.start]
        raise DataError(
            f"undecodable bytes: invalid UTF-8 byte 0x{bad:02x} on line {_line_of(data, utf8_error.start)}",
            file=path, fix="re-save the file as UTF-8 or pass --encoding")
    results = from_bytes(data)
    best = results.best()
    if best is None or best.encoding is None:
        raise DataError(
            f"undecodable bytes: not UTF-8 (byte 0x{data[utf8_error.start]:02x} on line "
            f"{_line_of(data, utf8_error.start)}) and no other encoding fits",
            file=path, fix="re-save the file as UTF-8 or pass --encoding")
    western = _western(data, [r.encoding for r in results])
    return (western, "cp1252") if western is not None else (str(best), best.encoding)


_WESTERN_SYMBOLS = set("€‚„…†‡‰‹›‘’“”•–—˜™«»°£¥©®±´µ¶·¸º¼½¾×÷¡¢¤¦§¨ª¬\xa0")  # not ¹ ² ³ ¿: cp1250 letters


def _western(data: bytes, candidates: list[str]) -> str | None:
    """cp1252 when it is among the equally good readings and every non-ASCII character it gives is a letter or
    common punctuation.

    charset-normalizer ranks single-byte code pages that read a short file equally well in an arbitrary order
    (a Latin-1 "São" comes out as cp1250 "Săo"); Western European text is by far the most common case, and
    Central European text read as cp1252 shows symbols ("³", "¹") where its letters should be, so it is kept.
    """
    if "cp1252" not in candidates:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    odd = [ch for ch in text if ord(ch) > 127 and not ch.isalpha() and ch not in _WESTERN_SYMBOLS]
    return text if not odd else None
