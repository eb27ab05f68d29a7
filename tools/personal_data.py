"""What personal data looks like: PII patterns in text, and names or descriptions of sensitive attributes."""

from __future__ import annotations

import re

PII_PATTERNS: dict[str, re.Pattern[str]] = {
    "email addresses": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    "phone numbers": re.compile(r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{3}[\s.-])"
                                r"\d{3}[\s.-]?\d{4}(?![\w.])"),
    "street addresses": re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|"
                                   r"Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way)\b\.?"),
    "credit card numbers": re.compile(r"\b(?:\d{4}[ -]){3}\d{4}\b"),
    "US social security numbers": re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),
}
# Sensitive attributes by column name (whole-name anchors keep "sexton" or "raceway" out).
SENSITIVE_NAMES: dict[str, str] = {
    "race or ethnicity": r"race|racial|ethnic|ethnicity|skin_?colou?r",
    "religion": r"religio|faith|church|caste",
    "sex or gender": r"^sex$|gender|^is_?male$|^is_?female$",
    "health": r"health(?![_. -]?ins)|diagnos|disease|disab|hiv|pregnan|medical|illness",  # not health insurance
    "sexual orientation": r"orientation|lgbt|sexuality",
    "political opinion": r"politic|party_affil|vote",
    "nationality or origin": r"nationality|citizenship|country_of_birth|native_country|immigra",
    "age": r"^age$|_age$|^age_|date_of_birth|birth_?date|dob",
}
# The same categories as a card describes a column ("self-reported ethnicity code", "1 = Catholic").
SENSITIVE_DESCRIPTIONS: dict[str, str] = {
    "race or ethnicity": r"\b(race|racial|ethnic\w*|skin colou?r)\b",
    "religion": r"\b(religio\w*|faith|denomination|caste|catholic|protestant|muslim|jewish|hindu|buddhist)\b",
    "health": r"\b(health status|diagnos\w*|disease|disabilit\w*|hiv|pregnan\w*|medical condition|illness|"
              r"mental health)\b",
    "sexual orientation": r"\b(sexual orientation|sexuality|lgbt\w*|gay|lesbian|bisexual|heterosexual)\b",
    "political opinion": r"\b(political (?:party|opinion|affiliation|view)\w*|voted? for|party affiliation)\b",
    "trade union membership": r"\b(trade union|union member\w*)\b",
}
# Attributes animals and plants have too: in a table of organisms they are biology, not personal data.
BIOLOGICAL = {"sex or gender", "age", "health"}
# A column that names each row's species or breed: the rows are organisms, people only if it says human.
TAXON_NAMES = r"^(species|genus|breed|taxon|strain|subspecies|scientific_?name)$"
HUMAN_TAXA = r"\b(?:human|homo sapiens|person|people|man|woman)\b"
# GDPR's special categories: using them as features needs the strongest justification.
SPECIAL_CATEGORIES = {"race or ethnicity", "religion", "health", "sexual orientation", "political opinion",
                      "trade union membership"}

