"""Turn file bytes into text, or say exactly why that is not possible."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from tools.errors import DataError

_BOMS = {
    b"\xef\xbb\xbf": "utf-8-sig",
    b"\xff\xfe": "utf-16",
    b"\xfe\xff": "utf-16",
}
# Control bytes that never occur in text files (NUL, and C0 codes other than tab/newline/CR/FF/ESC).
_BINARY_BYTES = set(range(0, 9)) | {11} | set(range(14, 27)) | set(range(28, 32))


# What a file is when it is not text, from its first bytes: a clearer reason than "binary".
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"PAR1", "a Parquet file", "rename it to .parquet"),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it first (gunzip)"),
    (b"BZh", "a bzip2-compressed file", "decompress it first (bunzip2)"),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "decompress it first (unxz)"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file", "decompress it first (unzstd)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract the table from it first"),
    (b"\x89PNG", "a PNG image", "give a CSV, TSV, JSON, JSONL or Parquet file"),
    (b"\xff\xd8\xff", "a JPEG image", "give a CSV, TSV, JSON, JSONL or Parquet file"),
    (b"%PDF", "a PDF document", "give a CSV, TSV, JSON, JSONL or Parquet file"),
    (b"SQLite format 3\x00", "an SQLite database", "export the table as CSV or Parquet"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office file (.xls)", "export the sheet as CSV"),
)


def what_binary(data: bytes) -> tuple[str | None, str]:
    """(what the bytes are, what to do), e.g. ("an Excel workbook (.xlsx)", "export the sheet as CSV");
    (None, ...) when the first bytes say nothing."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if b"xl/workbook" in data:
            return "an Excel workbook (.xlsx)", "export the sheet as CSV"
        return "a zip archive", "extract the table from it first (unzip)"
    for magic, what, fix in _MAGIC:
        if data.startswith(magic):
            return what, fix
    return None, "give a CSV, TSV, JSON, JSONL or Parquet file"


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" for text saved as UTF-16 without a byte-order mark (ASCII characters then
    have a NUL on one side), when the whole file decodes to printable text that way."""
    sample = data[:8192]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, chars in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.6 * len(zeros) and chars.count(0) <= 0.05 * len(chars):
            try:
                text = data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:
                continue
            printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096])
            if printable >= 0.98 * min(len(text), 4096):
                return encoding
    return None


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
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise DataError(f"undecodable bytes: invalid {name} at byte {exc.start}", file=path,
                                fix="re-save the file as UTF-8 or pass --encoding") from exc
    if (utf16 := _utf16_without_bom(data)) is not None:
        return data[: len(data) - len(data) % 2].decode(utf16), utf16
    if looks_binary(data):
        kind, fix = what_binary(data)
        if kind is None and b"\x00" in data[:8192]:
            nul = data.index(b"\x00")
            text_share = sum(32 <= b < 127 or b in (9, 10, 13) for b in data[:8192]) / len(data[:8192])
            if text_share > 0.9:  # text with a few NULs: a corrupt copy, not another format
                kind = f"text with NUL bytes, the first on line {_line_of(data, nul)}"
                fix = "re-export the file, or remove the NUL bytes"
        raise DataError(f"binary file ({kind}), not text" if kind else "binary file, not text", file=path, fix=fix)
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
    if western is None and _same_reading(data, str(best), "cp1252"):
        western = str(best)  # the same text either way (é, ü sit at the same bytes): name the common code page
    return (western, "cp1252") if western is not None else (str(best), best.encoding)


def _same_reading(data: bytes, text: str, encoding: str) -> bool:
    try:
        return data.decode(encoding) == text
    except UnicodeDecodeError:
        return False


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
