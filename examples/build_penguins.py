"""Build examples/penguins/ from the real Palmer penguins data, with the issues listed in examples/README.md.

Run `python examples/build_penguins.py` to regenerate; the output is deterministic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import palmerpenguins
import pandas as pd

OUT = Path(__file__).parent / "penguins" / "penguins.csv"
SEED = 7
DUPLICATED_ROWS = [12, 87, 150, 233]  # rows copied once more, inserted elsewhere
MASS_AS_TEXT = {40: "3,650 g", 190: "unknown", 301: "4.1 kg"}  # body_mass_g entries typed as text
FLIPPED_ROWS = [30, 120, 260]  # rows (of the final table) whose species is swapped for another
_NEXT_SPECIES = {"Adelie": "Chinstrap", "Chinstrap": "Gentoo", "Gentoo": "Adelie"}


def build() -> str:
    df = palmerpenguins.load_penguins()
    df.insert(0, "study_name", "PAL0708")  # constant: every row the same
    df["comments"] = np.nan  # empty: the column was exported but never filled
    mass = df["body_mass_g"].astype(object).map(lambda v: v if v != v else str(int(v)))
    for row, text in MASS_AS_TEXT.items():
        mass.iloc[row] = text
    df["body_mass_g"] = mass
    rng = np.random.default_rng(SEED)
    for row in DUPLICATED_ROWS:
        copy = df.iloc[[row]]
        at = int(rng.integers(0, len(df)))
        df = pd.concat([df.iloc[:at], copy, df.iloc[at:]], ignore_index=True)
    for row in FLIPPED_ROWS:
        df.loc[row, "species"] = _NEXT_SPECIES[df.loc[row, "species"]]
    return df.to_csv(index=False, lineterminator="\n")


if __name__ == "__main__":
    OUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUT}")
