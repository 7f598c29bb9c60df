"""The shared stylesheet's rules that pages depend on."""

import re
from pathlib import Path

import yangguang

APP_CSS = Path(yangguang.__file__).parent / "core" / "static" / "yangguang" / "app.css"


def _rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of every rule, comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return [
        (selector.strip(), body.strip())
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    ]


def test_field_inputs_full_width_rule_excludes_radios_and_checkboxes() -> None:
    full_width = [
        selector
        for selector, body in _rules(APP_CSS.read_text(encoding="utf-8"))
        if re.search(r"(^|;)\s*width:\s*100%", body)
        and ".field" in selector
        and "input" in selector
    ]

    assert full_width == ['.field input:not([type="radio"]):not([type="checkbox"])']
