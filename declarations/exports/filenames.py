"""File names that every system accepts, Windows included."""

import re
import unicodedata

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
MAX_STEM_LENGTH = 120


def safe_filename(stem: str, extension: str) -> str:
    """A file name built from ``stem`` that Windows, macOS and Linux all accept."""
    stem = unicodedata.normalize("NFC", stem)
    stem = _FORBIDDEN.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .")
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    stem = stem[:MAX_STEM_LENGTH].rstrip(" .") or "declaration"
    return f"{stem}.{extension}"


def unique_names(names: list[str]) -> list[str]:
    """Make names unique by numbering repeats: a.xlsx, a (2).xlsx …"""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        key = name.lower()
        if key in seen:
            seen[key] += 1
            stem, dot, ext = name.rpartition(".")
            name = f"{stem} ({seen[key]}){dot}{ext}"
        else:
            seen[key] = 1
        result.append(name)
    return result
