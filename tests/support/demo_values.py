"""The shipped profiles' DEMO examples, taken out as the DPO must before approving a draft."""

from __future__ import annotations

import re

# "DEMO: replace with ...", "DEMO address: replace with ...", "DEMO: add any training ...":
# the mark, its label, and the words after it to the end of the sentence or line.
DEMO_VALUE = re.compile(r"DEMO[^:\n]*:[^.\n]*\.? ?")


def without_demo_values(text: str) -> str:
    return DEMO_VALUE.sub("", text)
