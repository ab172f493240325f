"""Source/target comparison checks: numbers, empty or untranslated targets, end punctuation,
question form and punctuation the source has no counterpart of.

Everything here needs the source (``needs_source = True``) and compares the English target with
it; nothing here judges English style on its own.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Sequence, Iterable

import regex

from ..langid import script_guess
from ..model import Finding, Segment, Severity
from ..numbers import NumberMention, extract_numbers, format_number, numbers_agree
from ..numbers import cached_regex as _rx
from .base import Check, Context, RuleInfo
from .spelling import is_english_word

__all__ = ["BilingualCheck"]

# Letters of scripts English does not use (Greek is left alone: α, β, μ occur in English science).
_FOREIGN = r"[\p{L}\p{M}--\p{Latin}--\p{Greek}--\p{Common}]"
_FOREIGN_RUN_RE = regex.compile(
    rf"{_FOREIGN}(?:[{_FOREIGN[1:-1]}ー々〆・]|[\s\-](?={_FOREIGN}))*", regex.V1)
_WORD_RE = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*")
_SRC_WORD_RE = regex.compile(r"[\p{L}\p{M}]+")

_SENT_END = ".。!！?？…।"
_CLOSERS = "\"'”’»」』）)]】〕>›"
_EN_END = {".": ".", "。": ".", "!": "!", "！": "!", "?": "?", "？": "?", "…": "…", "।": "."}
_QUESTION = "?？"
_AUX = "Do|Does|Did|Is|Are|Was|Were|Has|Have|Can|Could|Will|Would|Shall|May|Might|Must"
_SUBJ = ("the|a|an|this|that|these|those|it|he|she|they|we|you|I|there|his|her|its|their|our|my|your|"
         "some|many|most|all|several")
_AUX_Q_RE = regex.compile(
    rf"^[\"“‘']?(?:(?:{_AUX})\s+\p{{Ll}}+|(?:In|On|At|By|For|After|Before|During|Since|Last|This|Next|Earlier|Later)\b"
    rf"[^,]{{0,60}},\s*(?:{_AUX.lower()})\s+(?:(?i:{_SUBJ})|\p{{Lu}}\w*))\b")

# Marks whose counterpart in the source must exist, with the source characters that count.
_COUNTERPART = {
    "!": "!！¡",
    ";": ";；",
    "~": "~～〜",
    "_": "_＿",
    "@": "@＠",
    "^": "^＾",
    "?": "?？¿",
}
_FUNC = ("the|a|an|of|to|in|on|at|by|for|with|from|and|or|is|are|was|were|be|been|has|have|had|its|"
         "their|his|her|our|my|your|this|these|those|very|more|most|than|such|not|will|would|can|could|"
         "may|might|should|must|that|which|who")
_FUNC_BEFORE_RE = regex.compile(rf"(?i)\b(?:{_FUNC})$")
_FUNC_AFTER_RE = regex.compile(r"\s+(?:of|to|that|which|for|with|from|by|at|on|as|than|is|are|was|were)\b")
_GLUED = "the|a|an|of|its|their|our|my|your|than|from|with|into|onto|whose|every|each"
# Each alternative starts with the mark itself and looks behind from there: a regex that starts
# with a look-behind is tried at every position (7x slower on news sentences).
_MARK = r"[,.:;'\"?!\-]"
_GLUED_RE = regex.compile(
    rf"(?:(?P<mark>{_MARK})(?<=(?<![\p{{L}}'’.-])(?:{_GLUED}|The|A|An){_MARK})(?<!\b[A-Z]{_MARK})(?=\s+\p{{Ll}})"  # after a function word
    r"|(?P<mark>')(?<=\p{Ll}\p{Ll}')(?<![sS]')(?=\s+\p{L})"  # a closing ' after a word not ending in s
    r"|(?P<mark>-)(?<=\p{Ll}\p{Ll}-)(?=\s+(?!and\b|or\b|to\b|und\b)\p{Ll})"  # "problem- with"
    r"|(?P<mark>\.)(?<=\p{Ll}{3}\.)(?<!\b(?:etc|approx|incl|vs|no|cf|al|ca)\.)(?=\s+\p{Ll}))")  # "there. were"
_QUOTES_ANY = "\"“”„«»「」『』‹›‚〝〞＂"

_lock = threading.Lock()
_LEXICONS: dict[str, tuple[dict, int]] = {}
_HAS_LEXICON = {"de", "fr", "es", "it", "pt", "ru", "nl"}


def _source_lexicon(lang: str | None) -> tuple[dict, int]:
    """pyspellchecker's word list for a source language (word → frequency) and its total."""
    if lang not in _HAS_LEXICON:
        return {}, 1
    if lang not in _LEXICONS:
        with _lock:
            if lang not in _LEXICONS:
                from ..lexicons import word_frequencies

                d = word_frequencies(lang)
                _LEXICONS[lang] = (d, max(1, sum(d.values())))
    return _LEXICONS[lang]


_EN_TOTAL: list[int] = []


def _more_foreign_than_english(word: str, lang: str | None) -> bool:
    """Whether ``word`` is much more frequent in the source language than in English ("que",
    "case" in Italian, "detalles")."""
    d, total = _source_lexicon(lang)
    f = d.get(word.lower(), 0)
    if f <= 100:
        return False
    from .spelling import lexicon

    en = lexicon()
    if not _EN_TOTAL:
        _EN_TOTAL.append(max(1, sum(en.values())))
    return f / total > 20 * en.get(word.lower(), 0) / _EN_TOTAL[0]


def _strip_closers(s: str) -> str:
    s = s.rstrip()
    while s and (s[-1] in _CLOSERS or s[-1].isspace()):
        s = s[:-1]
    return s


def _has_letters(s: str) -> bool:
    return any(ch.isalpha() for ch in s)


@lru_cache(maxsize=50_000)
def _english_token(tok: str) -> bool:
    return is_english_word(tok)


_KNOWN_CODE_RE = regex.compile(r"(?i)\b(?:covid-19|sars-cov-2|h1n1|h5n1|g7|g8|g20|5g|4g|3d|mp3|mp4|mh17|mh370)\b")
_FLAG_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
               "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
               "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
               "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}


def _flaggable_word(n: NumberMention) -> bool:
    """English number words worth comparing with the source: plain cardinals and ordinals above
    one ("one", "second", "half", "both" have other senses)."""
    w = _rx(r"\s+(?=hundred|thousand|million|billion|trillion)").split(n.text.lower())[0].replace(" ", "-")
    return w in _FLAG_WORDS or ("-" in w and all(p in _FLAG_WORDS or p in {
        "one", "first", "second"} for p in w.split("-")))


class BilingualCheck(Check):
    """BI-*: compare the English target with its source."""

    needs_source = True
    rules = (
        RuleInfo(
            "BI-NUM-001", "Accuracy/Mistranslation", Severity.MAJOR,
            "A number in the target that the source does not have.",
            good=(
                "防衛費は5兆円を超える。 ||| Defense spending will exceed 5 trillion yen.",
                "Der Umsatz stieg um 3,5 Prozent. ||| Sales rose 3.5 percent.",
                "受疫情影响，CBA联赛在中断近5个月后，于6月20日开始复赛。 ||| Affected by the epidemic, the CBA league resumed on June 20 after nearly five months.",
                "人口は１２３万人です。 ||| The population is 1.23 million.",
                "全市有1000万人口。 ||| The city has 10 million people.",
                "2022年6月29日に発表された。 ||| It was announced on June 29th, 2022.",
            ),
            bad=(
                "防衛費は6兆円を超える。 ||| Defense spending will exceed 5 trillion yen.",
                "成都美领馆于1985年开放。 ||| The Chengdu US Consulate opened in 1995.",
                "Der Umsatz stieg um 3,5 Prozent. ||| Sales rose 4.5 percent.",
                "ブランビーズが２４－０で快勝した。 ||| Brumbies won 26-0.",
            ),
        ),
        RuleInfo(
            "BI-EMPTY-001", "Accuracy/Omission", Severity.CRITICAL,
            "Empty or punctuation-only target for a source with text.",
            good=("他的研究表明。 ||| His research shows it.",),
            bad=("他的研究表明，施用激素可加速宝宝胎肺的成熟。 ||| .", "Der Umsatz stieg. ||| …"),
        ),
        RuleInfo(
            "BI-SAME-001", "Non-translation", Severity.MAJOR,
            "Target identical to a source in another language.",
            good=("NASA ||| NASA", "Der Umsatz stieg um 3,5 Prozent. ||| Sales rose 3.5 percent."),
            bad=(
                "Der Umsatz stieg um 3,5 Prozent. ||| Der Umsatz stieg um 3,5 Prozent.",
                "他的研究表明。 ||| 他的研究表明。",
            ),
        ),
        RuleInfo(
            "BI-UNTRANS-001", "Non-translation", Severity.MAJOR,
            "Source-language text left untranslated in the target.",
            good=(
                "In der Nachspielzeit machte Allan den 2:0-Endstand für Neapel perfekt. ||| In added time, Allan made it 2-0 for Napoli.",
                "Předtím působil Macura jako ředitel společnosti Walmark. ||| Before that, Macura worked as director of Walmark.",
                "他的研究表明。 ||| His research shows it.",
            ),
            bad=(
                "他的研究表明，施用激素可加速成熟。 ||| 他的 research shows that hormones can accelerate maturation.",
                "Męska reprezentacja Polski spadła z 20. na 22. lokatę. ||| The Polish men's team spadła from 20th to 22nd place.",
                "В этом году, - сказал Корб. ||| This year, Korb сказал.",
                "Das Filmstudio nahm sie gleich für sieben Jahre unter Vertrag. ||| The film studio signed her for sieben years.",
                "ausgedehnte Plünderungen auf den Straßen Bischkeks. ||| looting on the Straßen of Bishkek.",
            ),
        ),
        RuleInfo(
            "BI-PUNCT-001", "Fluency/Punctuation", Severity.MINOR,
            "The source ends a sentence with punctuation and the target does not.",
            good=("他的研究表明。 ||| His research shows it.", "Was sagt er? ||| What does he say?",
                  "Überschrift ||| Headline"),
            bad=("他的研究表明。 ||| His research shows it", "Er kommt! ||| He is coming"),
        ),
        RuleInfo(
            "BI-QUESTION-001", "Accuracy/Mistranslation", Severity.MAJOR,
            "The target is a question and the source is not, or the other way round.",
            good=("他走了吗？ ||| Did he leave?", "他走了。 ||| He left."),
            bad=(
                "他走了。 ||| Did he leave?",
                "他走了吗？ ||| He left.",
                "科学家希望了解行星是如何形成的。 ||| Do scientists want to understand how planets formed.",
            ),
        ),
        RuleInfo(
            "BI-PUNCT-002", "Fluency/Punctuation", Severity.MINOR,
            "Punctuation in the target with no counterpart in the source.",
            good=(
                "他说：“我们赢了！” ||| He said: \"We won!\"",
                "他们在下午3:30到达。 ||| They arrived at 3:30 p.m.",
                "Er kommt; sie geht. ||| He comes; she goes.",
            ),
            bad=(
                "他的研究表明，施用激素可加速成熟。 ||| His research shows that hormones can! accelerate maturation.",
                "他的研究表明，施用激素可加速成熟。 ||| His research~ shows that hormones accelerate maturation.",
                "他的研究表明，施用激素可加速成熟。 ||| His research shows; that hormones accelerate maturation.",
                "他的研究表明，施用激素可加速成熟。 ||| His research shows,, that hormones accelerate maturation.",
                "他的研究表明，施用激素可加速成熟。 ||| His research shows that the\" hormones accelerate maturation.",
            ),
        ),
    )

    # ------------------------------------------------------------------------------------------
    def prepare(self, segs: Sequence[Segment], ctx: Context) -> None:
        for lang in {(s.source_lang or ctx.source_lang or "").split("-")[0] for s in segs if s.source is not None}:
            _source_lexicon(lang)

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        if seg.source is None:
            return []
        try:
            return list(self._segment(seg, ctx))
        except Exception:  # pragma: no cover - a check must never take the run down
            return []

    def _segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        src, tgt = seg.source or "", seg.target or ""
        if not _has_letters(src) and not _rx(r"\d").search(src):
            return
        lang = (seg.source_lang or ctx.source_lang or "").lower().split("-")[0] or None
        if lang is None:
            g = script_guess(src)
            lang = g if g not in ("latin", "cyrillic", None) else ("ru" if g == "cyrillic" else None)
        if lang == "en":
            return
        # -- empty -----------------------------------------------------------------------------
        if not _has_letters(tgt) and not _rx(r"\d").search(tgt):
            if _has_letters(src):
                yield self.finding("BI-EMPTY-001", seg, 0, len(tgt), "The target is empty or only punctuation.")
            return
        # -- identical to the source ---------------------------------------------------------------
        if tgt.strip() == src.strip() and self._foreign_text(src, lang):
            yield self.finding("BI-SAME-001", seg, 0, len(tgt), "The target is the untranslated source.")
            return
        yield from self._untranslated(seg, src, tgt, lang)
        yield from self._numbers(seg, src, tgt, lang)
        yield from self._end_punct(seg, src, tgt)
        yield from self._added_punct(seg, src, tgt)

    @staticmethod
    def _foreign_text(src: str, lang: str | None) -> bool:
        g = script_guess(src)
        if g not in ("latin", None):
            return True
        words = _SRC_WORD_RE.findall(src)
        if len(words) < 2:
            return False
        unknown = sum(1 for w in words if not _english_token(w))
        return unknown >= max(1, len(words) // 3)

    # -- untranslated text ----------------------------------------------------------------------
    def _untranslated(self, seg: Segment, src: str, tgt: str, lang: str | None) -> Iterable[Finding]:
        for m in _FOREIGN_RUN_RE.finditer(tgt):
            yield self.finding("BI-UNTRANS-001", seg, m.start(), m.end(),
                               f"Untranslated text '{m.group()}'.", self._gloss(m.group(), lang))
        if script_guess(src) != "latin":
            return
        src_words = _SRC_WORD_RE.findall(src)
        if not src_words:
            return
        src_lower = {}
        for i, w in enumerate(src_words):
            src_lower.setdefault(w.lower(), []).append((i, w))
        for m in _WORD_RE.finditer(tgt):
            tok = m.group()
            if len(tok) < 2 or tok.isupper():
                continue
            occ = src_lower.get(tok.lower())
            if not occ:
                continue
            if tgt[m.start() - 1:m.start()] == "." or _rx(r"\.\p{L}").match(tgt[m.end():m.end() + 2]):
                continue  # domains: Aktuálně.cz
            english = _english_token(tok) and not (tok[:1].islower() and _more_foreign_than_english(tok, lang))
            if english:
                continue
            if not self._copied_common_word(tok, occ, lang, m.start(), m.end(), tgt, src):
                continue
            yield self.finding("BI-UNTRANS-001", seg, m.start(), m.end(),
                               f"'{tok}' is left in the source language.", self._gloss(tok, lang))

    @staticmethod
    def _copied_common_word(tok: str, occ: list[tuple[int, str]], lang: str | None, start: int, end: int,
                            tgt: str, src: str) -> bool:
        """Whether a target token found in the source is a common word rather than a name."""
        if any(ch.isupper() for ch in tok[1:]):
            return False
        prev = _rx(r"([\p{L}\p{M}]+)\W*$").search(tgt[:start])
        nxt = _rx(r"\W*([\p{L}\p{M}]+)").match(tgt[end:])
        prev_cap = bool(prev and prev.group(1)[:1].isupper() and prev.end(1) >= start - 2
                        and not _rx(r"[.!?]\s*$").search(tgt[:start]))
        next_cap = bool(nxt and nxt.group(1)[:1].isupper() and nxt.start(1) <= 2)
        if tok[:1].islower():
            if prev_cap and next_cap:
                return False  # "Vasco da Gama", "Rue des Francs Bourgeois"
            return any(w[:1].islower() for _, w in occ)
        # capitalised in the target: a name, unless the source language writes it in lower case
        # or (German nouns, sentence-initial words) its dictionary knows it as a common word
        if prev_cap or next_cap:
            return False  # part of a multi-word name
        if any(w[:1].islower() for _, w in occ):
            return True
        d, _ = _source_lexicon(lang)
        f = d.get(tok.lower(), 0)
        src_words = _SRC_WORD_RE.findall(src)
        initial_only = all(i == 0 or _rx(r"[.!?]\s*$").search(src.split(w)[0]) for i, w in occ)
        if lang == "de":
            return f > 50 or (f > 0 and _rx(r"[äöüß]").search(tok.lower()) is not None)
        if initial_only:
            return f > 100
        return False

    @staticmethod
    def _gloss(text: str, lang: str | None) -> tuple[str, ...]:
        return ()

    # -- numbers --------------------------------------------------------------------------------
    def _numbers(self, seg: Segment, src: str, tgt: str, lang: str | None) -> Iterable[Finding]:
        tnums = [n for n in extract_numbers(tgt, "en")
                 if (n.kind != "word" or _flaggable_word(n)) and not _KNOWN_CODE_RE.search(tgt[max(0, n.start - 9):n.end + 1])
                 and not (n.kind == "minute" and n.value in (0, 15, 30, 45))]
        if not tnums:
            return
        snums = extract_numbers(src, lang or "en")
        unmatched = numbers_agree(snums, tnums)
        if not unmatched:
            return
        src_left = numbers_agree(extract_numbers(tgt, "en"), snums)  # source numbers the target lacks
        if len(src_left) != len(unmatched) or (lang or "") in ("zh", "ja", "ko"):
            # number words are only compared when they look like a substitution: as many source
            # numbers unaccounted for as target ones (a source may spell a number in a form not
            # recognised, "dwoma", "双方", and then nothing is missing on its side). From Chinese,
            # Japanese and Korean, English number words mostly render measure words and idioms
            # (双方 "both/two sides", 半年 "six months", 一些 "a few"): digits only there.
            unmatched = [n for n in unmatched if n.kind != "word"]
        for n in unmatched:
            sugg = (format_number(src_left[0]),) if len(src_left) == 1 and len(unmatched) == 1 else ()
            yield self.finding("BI-NUM-001", seg, n.start, n.end,
                               f"The number '{n.text}' is not in the source.", sugg)

    # -- end punctuation and questions ----------------------------------------------------------
    def _end_punct(self, seg: Segment, src: str, tgt: str) -> Iterable[Finding]:
        s_end = _strip_closers(src)
        t_stripped = _strip_closers(tgt)
        if not t_stripped:
            return
        s_last = s_end[-1:] if s_end else ""
        t_last = t_stripped[-1]
        src_question = s_last in _QUESTION
        src_has_q = any(q in src for q in "?？¿")
        if t_last == "?" and not src_has_q:
            i = len(t_stripped) - 1
            yield self.finding("BI-QUESTION-001", seg, i, i + 1,
                               "The target is a question but the source is not.", (".",))
            return
        if src_question and t_last != "?":
            if t_last in ".!…":
                i = len(t_stripped) - 1
                yield self.finding("BI-QUESTION-001", seg, i, i + 1,
                                   "The source is a question but the target is not.", ("?",))
            else:
                w = self._last_word(tgt, t_stripped)
                if w:
                    yield self.finding("BI-QUESTION-001", seg, w[0], w[1],
                                       "The source is a question but the target is not.",
                                       (tgt[w[0]:w[1]] + "?",))
            return
        if not src_has_q and _AUX_Q_RE.match(tgt) and not _AUX_Q_RE.match(src):
            m = _AUX_Q_RE.match(tgt)
            yield self.finding("BI-QUESTION-001", seg, m.start(), m.end(),
                               "The target is worded as a question but the source is not.")
            return
        if s_last in _SENT_END and tgt.rstrip()[-1:].isalnum():
            w = self._last_word(tgt, t_stripped)
            if w:
                mark = _EN_END.get(s_last, ".")
                yield self.finding("BI-PUNCT-001", seg, w[0], w[1],
                                   f"The source ends with '{s_last}' but the target has no final punctuation.",
                                   (tgt[w[0]:w[1]] + mark,))

    @staticmethod
    def _last_word(tgt: str, stripped: str) -> tuple[int, int] | None:
        m = _rx(r"\S+$").search(stripped)
        if not m:
            return None
        return m.start(), m.end()

    # -- punctuation with no counterpart -------------------------------------------------------
    def _added_punct(self, seg: Segment, src: str, tgt: str) -> Iterable[Finding]:
        if "://" in tgt or "www." in tgt or "@" in tgt:
            masked = _rx(r"https?://\S+|www\.\S+|\S+@\S+\.\w+").sub(lambda m: " " * len(m.group()), tgt)
        else:
            masked = tgt
        seen: set[int] = set()

        def emit(i: int, j: int, msg: str, sugg: tuple[str, ...] = ("",)):
            if i in seen:
                return None
            seen.add(i)
            return self.finding("BI-PUNCT-002", seg, i, j, msg, sugg)

        for ch, counterparts in _COUNTERPART.items():
            if ch not in masked or any(c in src for c in counterparts):
                continue
            for m in regex.finditer(regex.escape(ch), masked):
                i = m.start()
                if ch in "?!" and i == len(_strip_closers(masked)) - 1:
                    continue  # final marks are the end-punctuation rules' business
                if ch == ":" and (_rx(r"\d").match(masked[i + 1:i + 2]) and _rx(r"\d$").search(masked[:i])):
                    continue  # times and scores: 12:30, 2:0
                if ch in ":;" and not _rx(r"\s*\p{Ll}").match(masked[i + 1:i + 4]):
                    continue  # lists, titles, quotations after a colon
                if ch == ";" and not (_FUNC_BEFORE_RE.search(masked[:i]) or _FUNC_AFTER_RE.match(masked[i + 1:])):
                    continue  # a semicolon between clauses may render a comma
                if ch == ":" and _rx(r"(?i)\b(said|says|told|added|stated|noted|explained|following|as follows|include|including)$").search(masked[:i]):
                    continue
                f = emit(i, i + 1, f"'{ch}' has no counterpart in the source.")
                if f:
                    yield f
        # marks glued to a function word that cannot end a phrase ("the, baby's", "there. were")
        src_single = any(q in src for q in "'‘’‚‹›")
        for m in _GLUED_RE.finditer(masked):
            mark = m.group("mark")
            if mark == "'" and (src_single or _rx(r"(?:^|\s)'\p{L}").search(masked[:m.start()])):
                continue
            if mark == "-" and _rx(r"\p{L}- ").search(src):
                continue
            i = m.start("mark")
            f = emit(i, i + 1, f"'{mark}' has no counterpart in the source.")
            if f:
                yield f
        # doubled commas / periods (not an ellipsis)
        for m in _rx(r",\s*,|(?<!\.)\.\.(?!\.)").finditer(masked):
            if m.group() == ".." and ".." in src:
                continue
            f = emit(m.start() + 1, m.end(), "Doubled punctuation.")
            if f:
                yield f
        # unbalanced straight double quotes the source does not account for
        if masked.count('"') % 2 == 1 and sum(masked.count(q) for q in '"“”„«»') % 2 == 1:
            src_quotes = sum(src.count(q) for q in _QUOTES_ANY)
            if src_quotes % 2 == 0:
                i = self._stray_quote(masked)
                if i is not None:
                    f = emit(i, i + 1, "Unbalanced quotation mark with no counterpart in the source.")
                    if f:
                        yield f

    @staticmethod
    def _stray_quote(t: str) -> int | None:
        """The straight double quote most likely added: a closing one with nothing open, else the
        last opening one."""
        open_at: int | None = None
        for m in _rx('"').finditer(t):
            i = m.start()
            before = t[i - 1:i]
            opening = before == "" or before.isspace() or before in "([{—–-"
            if opening and open_at is None:
                open_at = i
            elif open_at is not None:
                open_at = None
            else:
                return i
        return open_at
