"""The one rule of what a colour is: a plain #rrggbb, as the design schema's `hex` has it. Contrast is
measured only of such colours, and every format shows only them as colours (anything else the check
reports). Apart from the colour maths (gitspec.stages.colorsystem), so that renderers need not import it.
"""
from __future__ import annotations

import re

_SRGB_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def is_srgb_hex(value: object) -> bool:
    """Whether `value` is a colour as the design schema has it, a plain #rrggbb."""
    return isinstance(value, str) and _SRGB_HEX.fullmatch(value) is not None
