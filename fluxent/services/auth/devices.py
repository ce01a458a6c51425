"""A readable name for the browser behind a user-agent string ("Chrome on macOS").

The sessions list shows people where they are signed in; a raw user-agent string
means nothing to most of them. This recognises the browsers and systems people
actually use and says "Unknown browser" for the rest rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(?:OPR|Opera)/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(?:Chrome|Chromium|CriOS)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)
_SYSTEMS = (
    ("iPadOS", re.compile(r"\biPad\b")),
    ("iOS", re.compile(r"\b(?:iPhone|iPod)\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)
_PROGRAMS = re.compile(r"^(curl|Wget|python-requests|python-httpx|HTTPie|PostmanRuntime)/", re.IGNORECASE)


@dataclass(frozen=True)
class Device:
    label: str  # "Firefox on Windows"
    kind: str  # "desktop", "phone", "tablet" or "unknown": picks the icon


def describe_user_agent(user_agent: str) -> Device:
    text = (user_agent or "").strip()
    if not text:
        return Device("Unknown device", "unknown")
    program = _PROGRAMS.match(text)
    if program:
        return Device(f"{program.group(1)} (a program)", "unknown")
    browser = next((name for name, pattern in _BROWSERS if pattern.search(text)), "Unknown browser")
    system = next((name for name, pattern in _SYSTEMS if pattern.search(text)), "")
    if system == "iPadOS" or (system == "Android" and "Mobile" not in text):
        kind = "tablet"
    elif system in ("iOS", "Android") or "Mobile" in text:
        kind = "phone"
    elif system:
        kind = "desktop"
    else:
        kind = "unknown"
    return Device(f"{browser} on {system}" if system else browser, kind)
