"""file_checks: unreadable files, mojibake in text, and schema drift between the tables of one dataset."""

from __future__ import annotations

import codecs
import re

from pydantic import BaseModel, Field

from tools.base import TableCheck, ToolContext, register
from tools.contracts import Finding
from tools.data.profile import TableProfile
from tools.data.relations import family
from tools.data.tables import HeaderRepair, Table

# UTF-8 text decoded as Latin-1 / cp1252 leaves these pairs behind ("cafÃ©", "donâ€™t").
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf¡-ÿ]|â€[™œ\x9d\"“”˜–—¦]|Â[\xa0-\xbf]|ï»¿|\ufffd")
_SHOWN = 3


class FileChecksArgs(BaseModel):
    table: str | None = Field(default=None, description="table to check; every file when omitted")


_UNICODE = {"utf-8", "utf-8-sig", "ascii", "utf-16"}


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name  # "latin-1" and "ISO-8859-1", "windows-1252" and "cp1252" agree
    except LookupError:
        return encoding.lower()


def legacy_encodings(ctx: ToolContext, tables: list[Table]) -> list[Finding]:
    """Files in a legacy code page (or one the card contradicts): readers that assume UTF-8 will garble them."""
    claims = ctx.profile.docs.encodings
    out = []
    for table in tables:
        if table.encoding is None or _canonical(table.encoding) in _UNICODE:
            continue
        claim = next((c for c in claims if _canonical(c.value) != _canonical(table.encoding)), None)
        cells = [v for v in table.df.select_dtypes(include=["object", "string"]).stack().astype(str).head(20_000)
                 if any(ord(ch) > 127 for ch in v)]
        evidence = [*([claim.quote.text] if claim else []),
                    f"{table.name} decodes only as {table.encoding}, not as UTF-8",
                    *dict.fromkeys(cells[:_SHOWN])]
        out.append(Finding(
            tool="file_checks", type="encoding", severity="high" if claim else "medium",
            issue=(f"{table.name} is encoded in {table.encoding}, not {claim.value} as {claim.quote.file} says"
                   if claim else f"{table.name} is encoded in {table.encoding}, not UTF-8"),
            evidence=evidence, file=table.name, score=1.0,
            description="A legacy encoding is read as garbage (or fails) by tools that assume UTF-8, the default "
                        "almost everywhere; re-save the file as UTF-8 and say so in the card."))
    return out


def header_finding(table: Table, repair: HeaderRepair) -> Finding:
    """A header with repeated or empty names: kept, the names made unique, and said once for the table."""
    renamed = [repair.names[i] for i in repair.renamed]
    return Finding(
        tool="file_checks", type="malformed_file", severity="medium",
        issue=f"the header of {table.name} has {repair.describe()}",
        evidence=[repair.line, f"read as: {', '.join(repair.names[:20])}{' …' if len(repair.names) > 20 else ''}"],
        description="Repeated or empty column names are lost or overwritten by most loaders (a dict of columns "
                    f"keeps one of each name); the columns were kept and named {', '.join(renamed[:8])}. "
                    "Give every column its own name in the file.",
        file=table.name, columns=renamed, score=1.0)


@register
class FileChecksTool(TableCheck):
    name = "file_checks"
    description = ("Check the files: ones that cannot be read (ragged rows, truncated or invalid JSON, undecodable "
                   "bytes, binary content; with line numbers), text garbled by a wrong encoding (mojibake such as "
                   "'cafÃ©' or 'donâ€™t'), and schema drift between the tables of one dataset (train and test "
                   "with different columns or types). Read-only.")
    Args = FileChecksArgs
    in_audit = True

    def check_table(self, ctx: ToolContext, args: FileChecksArgs, table: Table,
                    profile: TableProfile) -> list[Finding]:
        findings = []
        for col in profile.columns:
            if col.kind not in ("text", "categorical", "mixed", "id"):
                continue
            text = table.df[col.name].dropna().astype(str)
            hits = text[text.str.contains(_MOJIBAKE)]
            if hits.empty:
                continue
            findings.append(Finding(
                tool=self.name, type="encoding", severity="medium",
                issue=f"{col.name} has garbled characters in {len(hits)} rows",
                evidence=[col.name, *[f"row {r}: {v[max(0, m.start() - 15):m.end() + 15]!r}"
                                      for r, v in hits.head(_SHOWN).items() if (m := _MOJIBAKE.search(v))]],
                description="Text was decoded with the wrong encoding (UTF-8 read as Latin-1/cp1252): words are "
                            "corrupted; re-read the source as UTF-8 or repair it with ftfy.",
                file=table.name, rows=[int(r) for r in hits.index[:50]], columns=[col.name],
                score=min(1.0, len(hits) / 5)))
        return findings + ([header_finding(table, table.header)] if table.header is not None else [])

    def check_dataset(self, ctx: ToolContext, args: FileChecksArgs, tables: list[Table],
                      findings: list[Finding]) -> list[Finding]:
        """Files that could not be read come first; then the tables' findings, legacy encodings and schema drift
        between split files."""
        unread = [Finding(tool=self.name, type="malformed_file", severity="high", issue=f"{p.file} cannot be read",
                          evidence=[p.file, p.message], file=p.file, score=1.0,
                          description="A file that does not parse is silently left out by most loaders.")
                  for p in ctx.dataset.problems if args.table in (None, p.file)]
        return [*unread, *findings, *legacy_encodings(ctx, tables), *self._drift(ctx, [t.name for t in tables])]

    def summary(self, findings: list[Finding]) -> str:
        return f"{len(findings)} file problems." if findings else "Files read cleanly."

    def _drift(self, ctx: ToolContext, names: list[str]) -> list[Finding]:
        families: dict[str, list[str]] = {}
        for name in names:
            families.setdefault(family(name), []).append(name)
        out = []
        for members in families.values():
            if len(members) < 2:
                continue
            schemas = {m: {c.name: c.kind for c in ctx.profile.table(m).columns} for m in members}
            first, *rest = members
            for other in rest:
                a, b = schemas[first], schemas[other]
                only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
                typed = sorted(c for c in set(a) & set(b) if {a[c], b[c]} - {"constant", "empty"} and
                               len({a[c], b[c]} - {"constant", "empty"}) == 2 and "mixed" not in (a[c], b[c])
                               and {a[c], b[c]} != {"categorical", "boolean"})
                if not (only_a or only_b or typed):
                    continue
                evidence = []
                if only_a:
                    evidence.append(f"only in {first}: {', '.join(only_a[:5])}")
                if only_b:
                    evidence.append(f"only in {other}: {', '.join(only_b[:5])}")
                evidence += [f"{c}: {a[c]} in {first}, {b[c]} in {other}" for c in typed[:3]]
                out.append(Finding(tool=self.name, type="inconsistent_format", severity="high",
                                    issue=f"{first} and {other} have different schemas", evidence=evidence,
                                    description="Splits of one dataset must share columns and types, or a model "
                                                "trained on one cannot be evaluated on the other.",
                                    file=other, columns=only_a + only_b + typed, score=1.0))
        return out
