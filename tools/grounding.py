"""Whether a model's text keeps to the facts: every number it states occurs in them, and it claims no action."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# The model proposes nothing and approves nothing: text saying something was approved, applied or removed
# is false whatever the facts, so no number check can pass it.
_ACTION_CLAIM = re.compile(r"\b(approv(?:ed|es|ing)|approve (?:all|every)|applied|delet(?:ed|ing)|removed|dropped|"
                           r"erased|overwr(?:ote|itten)|modified|executed|committed|changed the data)\b", re.I)


def claims_action(text: str) -> bool:
    """Whether `text` claims that something was approved, applied or deleted."""
    return bool(_ACTION_CLAIM.search(text))


def grounded(text: str, facts: str) -> bool:
    """Every number in `text` occurs in `facts` (commas and trailing zeros aside), and it claims no action."""
    if claims_action(text):
        return False
    known = {n.replace(",", "") for n in _NUMBER.findall(facts)}
    known |= {k.rstrip("0").rstrip(".") for k in known if "." in k}
    return all(n.replace(",", "") in known or n.replace(",", "").rstrip("0").rstrip(".") in known
               for n in _NUMBER.findall(text))
