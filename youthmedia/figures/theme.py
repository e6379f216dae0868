"""The slide theme: a 16:9 slide, no text below 16 pt, the colour-blind-safe Okabe–Ito palette,
light and dark, an organisation's colours and logo; text in a series colour reaches 4.5:1.

Examples
--------
>>> Theme.dark().background
'#1B1F24'
>>> round(contrast_ratio("#E69F00", "#FFFFFF"), 2), Theme.light().text_colour("#0072B2")
(2.25, '#0072B2')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, is_color_like, to_hex, to_rgb

from ..errors import ConfigError

#: The Okabe–Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = dict(
    x.split(":")
    for x in """black:#000000 orange:#E69F00 sky_blue:#56B4E9 bluish_green:#009E73 yellow:#F0E442
    blue:#0072B2 vermillion:#D55E00 reddish_purple:#CC79A7""".split()
)

#: One fixed Okabe–Ito colour per platform, the same in every figure and deck; a second
#: platform of the same colour in one chart gets the next free colour.
PLATFORM_COLOURS: dict[str, str] = dict(
    x.split(":")
    for x in """
    whatsapp:bluish_green instagram:reddish_purple tiktok:black youtube:vermillion
    snapchat:yellow facebook:blue twitter:sky_blue x:sky_blue threads:black
    pinterest:vermillion reddit:orange discord:blue twitch:reddish_purple telegram:sky_blue
    bereal:orange linkedin:blue messenger:blue signal:sky_blue roblox:vermillion
""".split()
)


def _okabe(names: str) -> tuple[str, ...]:
    return tuple(OKABE_ITO[k] for k in names.split())


@dataclass(frozen=True)
class Theme:
    """How a figure looks: size (in), colours, palette, font, sizes (pt, ≥ 16), margin, logo, dpi."""

    name: str = "light"
    width: float = 40 / 3  # 13.33 in: exactly 16:9 with 7.5 (960 × 540 pt)
    height: float = 7.5
    background: str = "#FFFFFF"
    foreground: str = "#1A1A1A"
    muted: str = "#595959"
    grid: str = "#D9D9D9"
    palette: tuple[str, ...] = _okabe(
        "blue orange bluish_green vermillion reddish_purple sky_blue black yellow"
    )
    primary: str = OKABE_ITO["blue"]
    diverging: tuple[str, ...] = ("#D55E00", "#F0A868", "#BBBBBB", "#56B4E9", "#0072B2")
    missing: str = "#8C8C8C"
    font_family: str = "DejaVu Sans"
    headline_size: float = 30.0
    subtitle_size: float = 20.0
    text_size: float = 18.0
    small_size: float = 16.0
    big_size: float = 150.0
    margin: float = 0.45
    logo: str | Path | None = None
    logo_height: float = 0.75
    dpi: int = 200

    def __post_init__(self) -> None:
        sizes = (self.headline_size, self.subtitle_size, self.text_size, self.big_size)
        if self.small_size < 16 or min(sizes) < self.small_size:
            raise ConfigError(
                f"Theme font sizes {self.small_size}–{min(sizes)} pt: no text may be below 16 pt "
                "(too small to read on a projected slide); use 16 or more."
            )
        if self.dpi < 200:
            raise ConfigError(f"Theme dpi {self.dpi} is below 200; use 200 or more for slides.")
        if not self.palette:
            raise ConfigError("Theme palette is empty; give at least one colour.")
        colours = (*self.palette, *self.diverging, self.primary, self.background, self.foreground)
        colours += (self.muted, self.grid, self.missing)
        if bad := [c for c in colours if not is_color_like(c)]:
            raise ConfigError(f"Theme colour {bad[0]!r} is not a colour; use e.g. '#0072B2'.")
        if self.logo is not None and not Path(self.logo).is_file():
            raise ConfigError(f"Theme logo {str(self.logo)!r} does not exist; give a PNG file.")

    @classmethod
    def light(cls, **overrides: Any) -> Theme:
        """Dark text on white: for printed handouts and light slide templates."""
        return cls(**overrides)

    @classmethod
    def dark(cls, **overrides: Any) -> Theme:
        """Light text on a dark background: for dark slide templates and dim rooms."""
        palette = _okabe("sky_blue orange bluish_green vermillion reddish_purple yellow blue")
        base = dict(name="dark", background="#1B1F24", foreground="#F2F2F2", muted="#BFBFBF")
        base |= dict(grid="#3D434B", palette=palette, missing="#9A9A9A", primary=palette[0])
        base["diverging"] = ("#D55E00", "#F0A868", "#8C8C8C", "#9CD3F2", "#56B4E9")
        return cls(**{**base, **overrides})

    def with_organisation(
        self, colors: Sequence[str] | None = None, logo: str | Path | None = None, name: str = ""
    ) -> Theme:
        """A copy with an organisation's colours (first = primary, then Okabe–Ito) and logo."""
        changes: dict[str, Any] = {"logo": logo or self.logo, "name": name or self.name}
        if colors:
            own = tuple(to_hex(c).upper() for c in colors)
            changes["palette"] = own + tuple(c for c in self.palette if c.upper() not in own)
            changes["primary"] = own[0]
        return replace(self, **changes)

    def series_colours(self, names: list[str]) -> list[str]:
        """A colour per series: a platform's fixed colour, else the next free palette colour.

        Examples
        --------
        >>> Theme.light().series_colours(["WhatsApp", "X (Twitter)"])
        ['#009E73', '#56B4E9']
        """
        fixed = []
        for name in names:  # a platform's own colour; too faint here (yellow on white): as text
            words = re.findall(r"[a-z]+", str(name).lower())
            key = next((PLATFORM_COLOURS[w] for w in words if w in PLATFORM_COLOURS), None)
            colour = OKABE_ITO[key] if key is not None and len(words) <= 3 else None
            faint = colour is not None and contrast_ratio(colour, self.background) < 1.5
            fixed.append(self.text_colour(colour) if faint else colour)
        out: list[str] = []
        for c in fixed:
            free = (p for p in self.palette if p not in fixed and p not in out)
            spare = next(free, self.palette[len(out) % len(self.palette)])
            out.append(c if c and c not in out else spare)
        return out

    @property
    def max_series(self) -> int:
        """Series drawn before colours repeat: the distinct palette colours, at most 8."""
        return min(8, len({to_hex(c).upper() for c in self.palette}))

    def text_colour(self, colour: str) -> str:
        """``colour`` as text on the background: as is from 4.5:1, else darkened or lightened."""
        if contrast_ratio(colour, self.background) >= 4.5:  # WCAG 2 AA for normal text
            return colour
        end = "#000000" if _luminance(self.background) > 0.18 else "#FFFFFF"
        low, high = 0.0, 1.0  # share of black (white) mixed in: too little, enough
        for _ in range(30):
            mid = (low + high) / 2
            enough = contrast_ratio(_mix(colour, end, mid), self.background) >= 4.5
            low, high = (low, mid) if enough else (mid, high)
        return _mix(colour, end, high).upper()

    def rc(self) -> dict[str, Any]:
        """rcParams for a ``matplotlib.rc_context`` around drawing a figure in this theme."""
        keys = [
            (self.text_size, "font.size xtick.labelsize axes.labelsize legend.fontsize"),
            (self.foreground, "text.color axes.labelcolor xtick.labelcolor"),
            (self.muted, "axes.edgecolor xtick.color"),
            (self.background, "axes.facecolor figure.facecolor savefig.facecolor"),
            (False, "axes.spines.top axes.spines.right legend.frameon"),
        ]
        rc = {k: v for v, names in keys for k in names.split()}
        rc |= {k.replace("xtick", "ytick"): v for k, v in rc.items() if k.startswith("xtick")}
        rc |= {"font.family": self.font_family, "axes.linewidth": 1.0, "grid.color": self.grid}
        rc |= {"pdf.fonttype": 42, "svg.hashsalt": "youthmedia", "svg.fonttype": "path"}
        return rc

    def sequential(self) -> LinearSegmentedColormap:
        """A colour map from the background to the primary colour, for heatmaps."""
        ends = [_mix(self.background, self.primary, 0.06), self.primary]
        return LinearSegmentedColormap.from_list(f"youthmedia_{self.name}", ends)

    def text_on(self, colour: str) -> str:
        """Black or white, whichever has the higher WCAG contrast on ``colour``."""
        return max(("#000000", "#FFFFFF"), key=lambda c: contrast_ratio(c, colour))  # tie: black


def get_theme(theme: Theme | str | None) -> Theme:
    """``None`` or ``"light"``, ``"dark"``, or a Theme as is."""
    if isinstance(theme, Theme):
        return theme
    if theme in (None, "light", "dark"):
        return Theme.dark() if theme == "dark" else Theme.light()
    raise ConfigError(f"Unknown theme {theme!r}; use 'light', 'dark' or a youthmedia Theme.")


def contrast_ratio(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    la, lb = sorted((_luminance(a), _luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a colour (0 black, 1 white)."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _mix(a: str, b: str, share_b: float) -> str:
    return to_hex((1 - share_b) * np.array(to_rgb(a)) + share_b * np.array(to_rgb(b)))


def ramp(a: str, b: str, k: int) -> list[str]:
    """``k`` colours from ``a`` to ``b``."""
    return [a] if k == 1 else [_mix(a, b, i / (k - 1)) for i in range(k)]
