"""card: a Hugging Face dataset card and a Croissant file, from computed facts, proposed as file writes."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import BaseModel, Field

from tools.base import Tool, ToolContext, register
from tools.contracts import Finding, ProposedChange, ToolResult, WriteFile
from tools.data.profile import ColumnProfile
from tools.doc_claims import card_documents, documentation_findings, licenses_found
from tools.operations import preview_write_file
from tools.privacy_checks import PrivacyChecksArgs, PrivacyChecksTool
from tools.quoting import data_block
from tools.value_checks import disguised_missing

MORE = "[More Information Needed]"
_STOPWORDS = {
    "en": {"the", "and", "is", "of", "to", "a", "in", "it", "that", "this", "for", "was", "with"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "ein", "zu", "mit", "den", "es", "ich"},
    "fr": {"le", "la", "les", "et", "est", "des", "un", "une", "pas", "que", "pour", "dans"},
    "es": {"el", "la", "los", "y", "es", "de", "que", "en", "un", "una", "por", "con", "para"},
}
_SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
          (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]
_CROISSANT_TYPES = {"numeric": "FLOAT", "boolean": "BOOL", "datetime": "DATE"}  # mlcroissant DataType names


class CardArgs(BaseModel):
    title: str | None = Field(default=None, description="the dataset's name on the card (from the data by default)")
    license: str | None = Field(default=None, description="license id, e.g. cc-by-4.0 (found in the files otherwise)")
    croissant: bool = Field(default=True, description="also write croissant.json (MLCommons Croissant JSON-LD)")


def _size_category(rows: int) -> str:
    return next((label for limit, label in _SIZES if rows < limit), "n>100M")


def _languages(ctx: ToolContext) -> list[str]:
    counts = dict.fromkeys(_STOPWORDS, 0)
    total = 0
    for table in ctx.profile.tables:
        for col in table.text_candidates[:2]:
            for text in ctx.dataset.table(table.name).df[col].dropna().astype(str).head(500):
                words = re.findall(r"[a-zäöüßéèàçñ]+", text.lower())
                total += len(words)
                for lang, stops in _STOPWORDS.items():
                    counts[lang] += sum(w in stops for w in words)
    return [lang for lang, n in counts.items() if total and n / total >= 0.08]


def _missing(column: ColumnProfile, rows: int, hidden: Finding | None) -> str:
    """Missing share with placeholders counted: '0.9% (1 written as 'unknown')'."""
    n = column.missing + (len(hidden.rows) if hidden else 0)
    share = f"{n / rows:.1%}" if rows else "0.0%"
    if hidden is None:
        return share
    written = ", ".join(e for e in hidden.evidence[1:] if e.startswith(("'", '"')))
    return f"{share} ({len(hidden.rows)} written as {written or 'a placeholder'})"


def _personal_data(ctx: ToolContext) -> list[Finding]:
    """Personal data and sensitive attributes, as the privacy checks find them (run here if the audit did not)."""
    earlier = [f for r in ctx.prior_results if r.tool == PrivacyChecksTool.name for f in r.findings]
    if earlier or any(r.tool == PrivacyChecksTool.name for r in ctx.prior_results):
        return earlier
    return PrivacyChecksTool().run(ctx, PrivacyChecksArgs()).findings


def facts(ctx: ToolContext, args: CardArgs) -> dict[str, Any]:
    """Everything the card says, computed; nothing here is guessed."""
    profile = ctx.profile
    tables = []
    hidden_missing: list[Finding] = []
    for t in profile.tables:
        df = ctx.dataset.table(t.name).df
        label = t.likely_label
        hidden = {f.columns[0]: f for f in disguised_missing(ctx.dataset.table(t.name), t) if f.columns}
        hidden_missing += hidden.values()
        tables.append({
            "name": t.name, "rows": t.rows, "n_columns": len(t.columns), "split": t.split,
            "columns": [{"name": c.name, "type": c.kind, "dtype": c.dtype,
                         "missing": _missing(c, t.rows, hidden.get(c.name))} for c in t.columns],
            "label": {"column": label, "n_classes": int(df[label].nunique()),
                      "distribution": {str(k): int(v) for k, v in df[label].value_counts().items()}} if label else None,
        })
    rows = sum(t["rows"] for t in tables)
    licenses = licenses_found(ctx.profile.docs)
    applied = [e for e in ctx.history if e.get("event") == "apply"]
    personal = _personal_data(ctx)
    return {
        "described_as": _first_paragraph(card_documents(ctx.dataset)),
        "name": args.title or ctx.dataset_name,
        "hidden_missing": [{"table": f.file, "column": f.columns[0], "rows": len(f.rows), "issue": f.issue}
                           for f in hidden_missing],
        "personal_data": [{"table": f.file, "column": ", ".join(f.columns), "kind": f.type, "issue": f.issue,
                           "rows": len(f.rows)} for f in personal if f.type == "pii"],
        "sensitive_attributes": [{"table": f.file, "column": ", ".join(f.columns), "issue": f.issue}
                                 for f in personal if f.type == "sensitive_attribute"],
        "scanned_columns": sum(c.kind in ("text", "categorical", "id", "mixed") for t in profile.tables
                               for c in t.columns),
        "rows": rows, "n_tables": len(tables), "tables": tables,
        "size_category": _size_category(rows),
        "splits": profile.splits, "languages": _languages(ctx),
        "license": args.license or (next(iter(licenses)) if len(licenses) == 1 else None),
        "licenses_found": licenses,
        "curation_log": [{"time": e["time"], "tool": e["tool"], "change": e["kind"], "rows": e["rows_affected"],
                          "approved_by": e.get("actor"), "version": e["to_version"], "why": e.get("rationale", "")}
                         for e in applied],
        "open_findings": [{"tool": f.tool, "type": f.type, "severity": f.severity, "issue": f.issue}
                          for r in ctx.prior_results for f in r.findings][:40],
        "pending_changes": [{"tool": c.tool, "change": c.kind, "rows": c.preview.rows_affected}
                            for r in ctx.prior_results for c in r.proposed_changes],
    }


def _first_paragraph(cards: dict[str, str]) -> str | None:
    """The existing card's own description (its first paragraph of prose), kept as the card's description."""
    for text in cards.values():
        body = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)
        for block in re.split(r"\n\s*\n", body):
            block = block.strip()
            if block and not block.startswith(("#", "|", "<!--", "-", "*", "```")):
                return " ".join(block.split())
    return None


def _structure(f: dict[str, Any]) -> str:
    parts = []
    for t in f["tables"]:
        split = f" (split: {t['split']})" if t["split"] else ""
        lines = [f"**{t['name']}**{split}: {t['rows']:,} rows, {t['n_columns']} columns.", "",
                 "| column | type | missing |", "|---|---|---|"]
        lines += [f"| {c['name']} | {c['type']} ({c['dtype']}) | {c['missing']} |" for c in t["columns"]]
        if t["label"]:
            dist = ", ".join(f"{k}: {v:,}" for k, v in t["label"]["distribution"].items())
            lines += ["", f"Label `{t['label']['column']}`: {dist}."]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _curation(f: dict[str, Any]) -> str:
    if not f["curation_log"]:
        return f"No changes have been applied with the curation co-pilot yet. {MORE} on how the data was collected."
    rows = ["Curation log (every change applied through the co-pilot's approval gate):", "",
            "| time | tool | change | rows | approved by | version | why |", "|---|---|---|---|---|---|---|"]
    rows += [f"| {e['time']} | {e['tool']} | {e['change']} | {e['rows']} | {e['approved_by']} | {e['version']} | "
             f"{e['why']} |" for e in f["curation_log"]]
    return "\n".join(rows)


def _personal(f: dict[str, Any]) -> str:
    """What the privacy checks found, or that they found nothing, and what they looked for."""
    lines = []
    if f["personal_data"]:
        lines += ["The co-pilot's checks found personal data:", ""]
        lines += [f"- {x['table']}, column `{x['column']}`: {x['issue']}" for x in f["personal_data"]]
    else:
        lines.append(f"The co-pilot's checks found no personal data (email addresses, phone numbers, street "
                     f"addresses, card and social security numbers) in the {f['scanned_columns']} text-valued "
                     "column(s) they scanned. Pattern checks miss names and indirect identifiers.")
    if f["sensitive_attributes"]:
        lines += ["", "Sensitive attributes:", ""]
        lines += [f"- {x['table']}, column `{x['column']}`: {x['issue']}" for x in f["sensitive_attributes"]]
    return "\n".join(lines)


def _limitations(f: dict[str, Any], prose: str | None) -> str:
    lines = [prose] if prose else []
    if f["hidden_missing"]:
        lines += ["Missing values written as placeholders (counted as missing in the structure table above):", ""]
        lines += [f"- {x['table']}: {x['issue']}" for x in f["hidden_missing"]]
        lines.append("")
    if f["open_findings"]:
        lines += ["Open findings of the latest audit, not acted on when this card was written:", ""]
        lines += [f"- **{x['severity']}** {x['type']}: {x['issue']} ({x['tool']})" for x in f["open_findings"]]
    if f["pending_changes"]:
        lines += ["", "Changes proposed in the same session (awaiting approval when this card was written): "
                  + "; ".join(f"{c['tool']} {c['change']} ({c['rows']} rows)" for c in f["pending_changes"]) + "."]
    return "\n".join(lines) or MORE


def sections(markdown: str) -> dict[str, str]:
    """Heading → its own text (without sub-sections), for the completeness score."""
    out: dict[str, str] = {}
    current = None
    for line in markdown.splitlines():
        heading = re.match(r"^#{2,4}\s+(.*?)\s*(\[optional\])?\s*$", line)
        if heading:
            current = heading.group(1).strip().lower()
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return out


def completeness(markdown: str | None, template_headings: list[str]) -> float:
    """Share of the template's sections that carry real content (not a placeholder or a comment)."""
    if not markdown:
        return 0.0
    found = sections(markdown)
    def real(text: str) -> bool:
        body = re.sub(r"<!--.*?-->", "", text, flags=re.S).replace(MORE, "")
        return bool(re.search(r"\w", re.sub(r"^\s*-\s*\*\*.*?:\*\*\s*$", "", body, flags=re.M)))
    return sum(real(found.get(h, "")) for h in template_headings) / len(template_headings)


def _prose(ctx: ToolContext, f: dict[str, Any]) -> dict[str, str]:
    """With a model: summary, uses and limitations drafted from the facts; any ungrounded number is refused."""
    if ctx.llm is None:
        return {}
    from langchain_core.messages import HumanMessage

    from prompts import load_prompt
    from tools.grounding import grounded

    class Prose(BaseModel):
        summary: str = ""
        uses: str = ""
        limitations: str = ""

    facts_text = data_block(f)
    try:
        message = ctx.llm.bind_tools([Prose], tool_choice="Prose").invoke(
            [HumanMessage(load_prompt("card_writer").format(facts=facts_text))])
        drafted = Prose.model_validate(message.tool_calls[0]["args"]) if message.tool_calls else Prose()
    except Exception:
        return {}
    return {k: v for k, v in drafted.model_dump().items() if v and grounded(v, facts_text)}


def croissant(ctx: ToolContext, f: dict[str, Any]) -> dict[str, Any]:
    import mlcroissant as mlc

    files, record_sets = [], []
    for t in ctx.profile.tables:
        df = ctx.dataset.table(t.name).df.reset_index(drop=True)
        name = re.sub(r"\.[^.]+$", ".csv", t.name)
        sha = hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()  # as `copilot export` writes it
        files.append(mlc.FileObject(id=name, name=name, content_url=name, encoding_formats=["text/csv"], sha256=sha))
        rs_id = re.sub(r"[^\w-]", "_", name.rsplit(".", 1)[0])
        fields = []
        for c in t.columns:
            dtype = getattr(mlc.DataType, _CROISSANT_TYPES.get(c.kind, "TEXT"))
            if c.kind == "numeric" and c.dtype.startswith("int"):
                dtype = mlc.DataType.INTEGER
            fields.append(mlc.Field(id=f"{rs_id}/{c.name}", name=c.name, data_types=[dtype],
                                    source=mlc.Source(file_object=name, extract=mlc.Extract(column=c.name))))
        record_sets.append(mlc.RecordSet(id=rs_id, name=rs_id, fields=fields))
    license_url = [f"https://spdx.org/licenses/{f['license']}"] if f["license"] else None
    metadata = mlc.Metadata(name=f["name"], description=f"{f['name']}: {f['rows']:,} rows in {len(files)} file(s).",
                            license=license_url, url=None, distribution=files, record_sets=record_sets)
    return metadata.to_json()


@register
class CardTool(Tool):
    name = "card"
    description = (
        "Write a dataset card: a Hugging Face README.md (YAML metadata and the standard sections) and a "
        "Croissant JSON-LD file, from computed facts only: shape, types, missing rates, label distribution, "
        "size, splits, languages, license, a curation log of every approved change, and the open findings of "
        "the other steps. Unknowns say [More Information Needed]. Claims of an existing README that the data "
        "contradicts are reported. Proposes both files as writes, with a diff against the existing card.")
    Args = CardArgs

    def run(self, ctx: ToolContext, args: CardArgs) -> ToolResult:
        from huggingface_hub import DatasetCard, DatasetCardData

        f = facts(ctx, args)
        ctx.progress(0.3)
        prose = _prose(ctx, f)
        data = DatasetCardData(pretty_name=f["name"], license=f["license"], language=f["languages"] or None,
                               size_categories=[f["size_category"]])
        card = DatasetCard.from_template(
            data, template_path=None,
            dataset_summary=prose.get("summary") or f"{f['name']}: {f['rows']:,} rows in {f['n_tables']} "
                                                    f"table(s). This card was written from computed facts.",
            dataset_description=f["described_as"] and f"From the existing card: {f['described_as']}",
            language=", ".join(f["languages"]) or MORE, license=f["license"] or MORE,
            direct_use=prose.get("uses"), dataset_structure=_structure(f),
            data_collection_and_processing_section=_curation(f),
            bias_risks_limitations=_limitations(f, prose.get("limitations")),
            personal_and_sensitive_information=_personal(f))
        content = str(card)
        # Offline check (DatasetCard.validate would ask the Hub): the card parses back to the same metadata.
        if DatasetCard(content).data.to_dict() != data.to_dict():
            raise RuntimeError("the written card does not parse back to its metadata")
        ctx.progress(0.7)
        existing = card_documents(ctx.dataset)
        old_readme = existing.get("README.md")
        template_headings = list(sections(str(DatasetCard.from_template(DatasetCardData(), template_path=None))))
        before = max((completeness(t, template_headings) for t in existing.values()), default=0.0)
        after = completeness(content, template_headings)
        changes = [ProposedChange(tool=self.name, operation=(op := WriteFile(path="README.md", content=content)),
                                  rationale=f"Write the dataset card (completeness {before:.0%} → {after:.0%} of the "
                                            "template's sections).", preview=preview_write_file(old_readme, op))]
        if args.croissant:
            text = json.dumps(croissant(ctx, f), indent=2, default=str) + "\n"
            op = WriteFile(path="croissant.json", content=text)
            changes.append(ProposedChange(tool=self.name, operation=op, rationale="Write the Croissant metadata.",
                                          preview=preview_write_file(ctx.dataset.documents.get("croissant.json"), op)))
        findings = documentation_findings(ctx, self.name)
        ctx.progress(1.0)
        return ToolResult(tool=self.name, findings=findings, proposed_changes=changes,
                          summary=f"Card written from facts: completeness {before:.0%} → {after:.0%}; "
                                  f"{len(findings)} documentation findings.")
