"""EN-NUM-007: a number of thousands written without separators ("146000 deaths", "3002 kilometers").

Chinese and Japanese write 146000 and 3002; English news (AP, Reuters, Chicago) writes 146,000 and
3,002, and machine translation copies the digits as they are. Identifiers are left alone: years,
codes and numbers after a name or a word such as "No.", "phone", "Resolution" or "Flight" (a
currency code such as RMB is no name, and "Reward 50000 yuan" counts yuan), numbers with a leading
zero, and digits that are part of a longer token (dates, times, decimals, ranges, URLs, model
names).
"""

from __future__ import annotations

import re
from typing import Iterable

from ..model import Finding, Segment, Severity
from .base import Check, Context, RuleInfo

_RUN = re.compile(r"\d{4}")  # the pre-test: most sentences have no four-digit run at all
# A whole number of four or more digits standing alone: not glued to letters, other digits,
# separators or signs on either side (1.5, 2019-2020, 10:30, A380, 4860th, #1234, +86 1234,
# the stock code 600606.SH)
_NUMBER = re.compile(r"(?<![\w#+/\\:\-−–.,])(?<!\d )(?<!\d\u00a0)([1-9]\d{3,})(?![\w/\\:\-−–])(?![.,]\d)(?!\.\s?[A-Z]{2}\b)(?! \d)(?!\u00a0\d)")
# What makes it an identifier rather than a quantity: the word before it ("hotline on 12345")
_ID_BEFORE = re.compile(
    r"(?:\b(?:no|nos|number|numbers|code|codes|tel|phone|telephone|fax|hotline|dial|call|zip|postcode|"
    r"postal\s+code|flight|model|account|card|room|line|patent|issue|vol|volume|page|pages|pp|p|isbn|"
    r"issn|iso|serial|batch|order|article|box|ext|extension|version|v|unit|plot|route|highway|bus|train|"
    r"chapter|section|clause|paragraph|decree|resolution|law|act|id|pin|ref|reference|file|case|docket|"
    r"channel|frequency|station|gate|platform|seat|stand|booth|lot|grid|sector|district|building|block|"
    r"floor|street|avenue|road|class|cohort|season|vintage|edition|games|olympics|expo|cup)\.?|[#№])"
    r"(?:\s+(?:on|is|at|was|of|to|number|no\.?|code)\b)?\s*$",
    re.IGNORECASE,
)
# ... and, for a four-digit number that could be a year, words that put a year after them
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|from|between|before|after|during|early|late|mid|spring|summer|autumn|"
    r"fall|winter|year|years|fy|circa|ca|c|the|of\s+the|that)\.?\s+(?:(?:about|around|circa|ca\.|c\.|early|"
    r"late|mid|spring|summer|autumn|fall|winter)\s+)?$", re.IGNORECASE)
_CAPITALISED_BEFORE = re.compile(r"(?:^|\s)([A-Z][^\s]*)\s+$")  # "Resolution 2231", "Boeing 7478"
# ... but a currency code is no name ("RMB 50000", "USD 12000")
_CURRENCY_CODES = frozenset("RMB CNY USD EUR JPY GBP HKD INR KRW RUB CHF CAD AUD US$ HK$ NT$ A$ C$ S$".split())
# ... but not a sentence's first word that only qualifies the quantity ("About 15000 people")
_QUANTIFIERS = frozenset(
    "about nearly almost over some around approximately more fewer less only just roughly another all "
    "at by with of and exactly up to total".split())
# Four-digit numbers up to 2100 may be years: those count as quantities only before a word that
# counts something (or after a word that only a quantity follows, below)
_COUNTED = re.compile(
    r"\s+(?:people|persons|yuan|renminbi|rmb|dollars|euros|yen|won|rupees|pounds|francs|roubles|rubles|"
    r"tons|tonnes|kilometers|kilometres|km|meters|metres|miles|kilograms|kg|hectares|acres|mu|households|"
    r"families|cases|deaths|patients|workers|residents|students|teachers|soldiers|troops|officers|"
    r"vehicles|cars|units|beds|enterprises|companies|firms|projects|villages|copies|votes|participants|"
    r"members|volunteers|visitors|tourists|employees|jobs|homes|houses|buildings|items|pieces|samples|"
    r"tests|doses|children|women|men|staff|personnel|refugees|migrants|fishermen|farmers|athletes|"
    r"passengers|flights|ships|vessels|aircraft|infections|injuries|victims|square|cubic)\b")
# ... or after a word that only a quantity follows ("nearly 2000", "an additional 2000")
_QUANTITY_BEFORE = re.compile(
    r"\b(?:nearly|almost|approximately|roughly|more\s+than|less\s+than|fewer\s+than|"
    r"at\s+least|at\s+most|up\s+to|some|additional|another|total\s+of|totalling|totaling|exceeding|"
    r"exceeds|exceeded|create|created|build|built|add|added|hire|hired|employ|employed|reach|reached|"
    r"reaching|numbered|numbering)\s+$", re.IGNORECASE)
_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")
_CLAUSE_END = re.compile(r"[,;)](?:\s|$)|\.(?:\s|$)")  # "was 4860, an increase of 338"
_NOT_COUNTED = frozenset(
    "and to or in on at for the a an of with from by as than that "
    "which who when where while but if so bc ad ce bce".split())


_LONGEST_QUANTITY = 15  # digits: a longer run is no quantity written out


def group_thousands(digits: str) -> str:
    """'146000' → '146,000'."""
    return f"{int(digits):,}"


class ThousandsCheck(Check):
    rules = (
        RuleInfo(
            "EN-NUM-007", "Locale convention/Number format", Severity.MINOR,
            "A number of thousands without separators: English writes 146,000 (a copy of the source's digits).",
            good=(
                "The toll rose to 146,000 deaths.",
                "The summit was held in Madrid in 2022.",
                "Call the hotline on 12345 for advice.",
                "UN Security Council Resolution 2231 was adopted in 2015.",
                "The Boeing 7478 landed at 10:30, flight number 12345.",
                "Prices rose 1.2345 percent between 2019-2020.",
                "In 2020 cases rose sharply across the region.",
                "The town was founded in about 1500 by settlers.",
                "Sea levels could rise by 2100, the report said.",
                "Savings per head rose by nearly 40% over 2019.",
                "The code 007123 was printed on the box.",
                "Greenland Holdings (600606.SH) issued a notice.",
                "The Model 3000 is no longer sold; Windows 2000 was retired.",
            ),
            bad=(
                "The number of confirmed cases reached 4.176 million, with 146000 deaths.",
                "The antelopes travelled through the 3002 kilometers of the road.",
                "The city has safely evacuated 1339 people from 315 households.",
                "Institutions will be fined 20000 yuan for disclosing patients' data.",
                "The government will build an additional 2000 isolation rooms.",
                "The number of antelopes returning was 4860, an increase of 338 over 2018.",
                "Of the 4404 fishermen who retired, 4267 have found new work.",
                "The villager was awarded RMB 50000 for raising the alarm.",
                "Reward 50000 yuan for the villager who raised the alarm",
            ),
        ),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        text = seg.target
        if not _RUN.search(text) or (ctx.target_lang or "en")[:2] != "en":
            return ()
        out = []
        for m in _NUMBER.finditer(text):
            digits = m.group(1)
            if len(digits) > _LONGEST_QUANTITY:
                continue  # a card number, a code or a hash: nothing to group
            before = text[max(0, m.start() - 40):m.start()]
            if _ID_BEFORE.search(before):
                continue
            cap = _CAPITALISED_BEFORE.search(before)
            if cap and cap.group(1) not in _CURRENCY_CODES:  # after a name ("Resolution 2231"), unless it opens the text ("About 15000")
                opens_text = m.start() - len(before) + cap.start(1) == 0
                if not (opens_text and cap.group(1).lower() in _QUANTIFIERS
                        or len(digits) > 4 and _COUNTED.match(text, m.end())):  # "Reward 50000 yuan"
                    continue
            if len(digits) == 4:
                value = int(digits)
                after = text[m.end():m.end() + 40]
                if value <= 2100:  # could be a year: only where a quantity is meant
                    if _YEAR_BEFORE.search(before) or not (_COUNTED.match(after) or _QUANTITY_BEFORE.search(before)):
                        continue
                else:
                    w = _WORD_AFTER.match(after)
                    if not (w and w.group(1) not in _NOT_COUNTED or _CLAUSE_END.match(after)):
                        continue
            fixed = group_thousands(digits)
            out.append(self.finding("EN-NUM-007", seg, m.start(1), m.end(1),
                                    f"'{digits}': English separates thousands with commas ('{fixed}').",
                                    (fixed,)))
        return out
