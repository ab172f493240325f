"""BI-LENGTH-001: a target far shorter or longer than a translation of its source usually is.

Translation QA tools (Xbench, Verifika, Okapi CheckMate) flag a target whose length is out of
proportion to its source: a clause left out, one added, or the translation of another sentence
altogether. How long an English translation usually is depends on the source language: about
3.3 times as many characters as a Chinese source, 2.7 as a Japanese one, 0.9 as a German or French
one (``EXPECTED``: the log of the ratio, measured on the professional references and MT of the
DEMETR sample). A target more than ``MARGIN`` (in log terms: 1.8 times) off that ratio is flagged;
in that sample no correct translation of a source of at least ``MIN_SOURCE`` characters was.
Sources of other languages, and short ones (headlines, names), are left alone.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Iterable

from ..model import Finding, Segment, Severity
from .base import Check, Context, RuleInfo

__all__ = ["LengthCheck"]

# log(len(English translation) / len(source)) by source language
EXPECTED = {"zh": 1.2, "ja": 1.0, "de": -0.1, "fr": -0.1, "es": -0.1, "it": -0.1, "pl": 0.0, "cs": 0.05,
            "ru": 0.0, "hi": 0.0}
MARGIN = 0.6
MIN_SOURCE = 20


class LengthCheck(Check):
    needs_source = True
    rules = (
        RuleInfo(
            "BI-LENGTH-001", "Accuracy/Omission", Severity.MINOR,
            "A target far shorter (or longer: Accuracy/Addition) than a translation of its source "
            "usually is: something left out or added, or another sentence translated.",
            good=(
                "Der Torwart spielte am Sonntag in München ein starkes Spiel. ||| The goalkeeper played a "
                "strong game in Munich on Sunday.",
                "目前新疆有330多座光伏电站。 ||| Xinjiang currently has more than 330 photovoltaic power plants.",
                "Merci. ||| Thank you very much indeed, my friends.",
            ),
            bad=(
                "Der Torwart spielte am Sonntag in München ein starkes Spiel, obwohl er verletzt war und "
                "die Mannschaft verlor. ||| The goalkeeper played.",
                "Il est parti hier soir. ||| He left the city on Monday morning after a long meeting with "
                "the ministers of the three countries concerned.",
            ),
        ),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        src, tgt = seg.source, seg.target
        if not src or not tgt or not tgt.strip():
            return ()
        expected = EXPECTED.get(ctx.source_language(seg) or "")
        if expected is None:
            return ()
        s, t = len(src.strip()), len(tgt.strip())
        if s < MIN_SOURCE:
            return ()
        off = math.log(t / s) - expected
        if abs(off) <= MARGIN:
            return ()
        times = math.exp(abs(off))
        if off < 0:
            cat, msg = "Accuracy/Omission", (f"The target is {times:.1f} times shorter than a translation of this "
                                             f"source usually is: is something left out?")
        else:
            cat, msg = "Accuracy/Addition", (f"The target is {times:.1f} times longer than a translation of this "
                                             f"source usually is: is something added, or another sentence translated?")
        return [replace(self.finding("BI-LENGTH-001", seg, 0, len(tgt), msg, ()), category=cat)]
