"""BI-NEG-001: a negation in the target that the source does not have.

Machine translation sometimes turns a statement into its opposite ("he died" → "he did not die"),
and an editor reading fluent English cannot see it. With the source at hand the check is cheap: an
English "not", "n't", "never" or "cannot" whose source sentence has no negation marker at all.

The source side is deliberately generous: every word or character that *can* carry a negation in
that language counts (Chinese 不, 没, 未, 无, 非 … even inside words such as 不同; Czech and Polish
words starting with "ne"/"nie", but not the common words that merely begin so, such as Czech
"nebo" (or) and "nej-" (most), Polish "niemiecki" (German), Russian "несколько" (several) and
"безопасность" (security), nor Hindi words that end in न (दिन, day); verbs of refusing, lacking
and preventing; "erst"/才, which English renders as "not until"). A negation anywhere in the source silences the check, so it only speaks when
the target's negation cannot have come from the source. Where the source has markers, the check
speaks only when the target has more negations than the source has markers ("er kam nicht" → "he
did not come because he was not at home"). Languages without a marker list are skipped,
and English idioms whose "not" is not a negation of the sentence ("not only", "whether or not")
are ignored.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..model import Finding, Segment, Severity
from .base import Check, Context, RuleInfo, language_code

__all__ = ["NegationCheck"]

_W = r"[^\W\d_]"
# Markers that may carry a negation, per source language (ISO 639-1).
_SOURCE_MARKERS: dict[str, re.Pattern] = {
    lang: re.compile(pattern, re.IGNORECASE)
    for lang, pattern in {
        # (not in the common words that hold such a character without negating: 非常 "very",
        # 未来 "future", 特别 "especially", 莫斯科 "Moscow", 避難 "evacuation", まず "first" …)
        "zh": r"(?!非常|未来|未來|特别|特別|分别|分別|区别|區別|莫斯科|不断|不斷|不少|不久|不过|不過|无论|無論|困难|困難|"
              r"灾难|災難|避难|避難|损失|損失|免费|免費)(?<!特|分|区|區|困|灾|災|避|损|損)[不没沒未无無非别別莫勿否毋拒缺难難免禁忘失才仅僅只]"
              r"|直到",
        "ja": r"(?!避難|困難|損失|まず|必ず|わずか|ずつ|住まい|無料)(?<!避|困|損|ま|必|わ|住)"
              r"(?:ない|なかっ|なく|ず|ぬ|ません|まい|無|不|非|未|否|禁|拒|欠|難|しか|忘|失)",
        "ko": r"않|안\s|못|없|아니|말[고라]|무|불|비|미|금지|거부",
        "de": rf"\b(?:nicht|nichts|kein{_W}*|nie|niemals|niemand|nirgend{_W}*|weder|ohne|(?!unter|unser|ungefähr|univers|union|unternehm)un{_W}{{3,}}|erst|kaum|wenig{_W}*|"
              rf"verweiger{_W}*|fehl{_W}*|verbot{_W}*|verbiet{_W}*|verhinder{_W}*|vermied{_W}*|vermeid{_W}*|"
              rf"abgelehnt|ablehn{_W}*|lehnt{_W}*|verpass{_W}*|versäum{_W}*|mangel{_W}*|vergess{_W}*|vergaß{_W}*)\b",
        "fr": rf"\b(?:ne|n['’]|pas|jamais|aucun{_W}*|rien|personne|sans|ni|non|guère|nul{_W}*|refus{_W}*|"
              rf"empêch{_W}*|manqu{_W}*|in{_W}+ble|impossible|oubli{_W}*|éviter|évité{_W}*|seulement)\b",
        "es": rf"\b(?:no|nunca|jamás|ni|nada|nadie|ningun{_W}*|ningún|sin|tampoco|rechaz{_W}*|impid{_W}*|"
              rf"imped{_W}*|evit{_W}*|falt{_W}*|nega{_W}*|negó|olvid{_W}*|imposible)\b",
        "it": rf"\b(?:non|mai|nessun{_W}*|niente|nulla|né|senza|priv[oaie]|neanche|nemmeno|neppure|rifiut{_W}*|"
              rf"imped{_W}*|evit{_W}*|manc{_W}*|nega{_W}*|negò|dimentic{_W}*|impossibile|solo|soltanto)\b",
        "pt": rf"\b(?:não|nunca|nem|nada|ninguém|nenhum{_W}*|sem|jamais|tampouco|recus{_W}*|imped{_W}*|"
              rf"evit{_W}*|falt{_W}*|nega{_W}*|negou|esquec{_W}*|impossível|só)\b",
        # (not the words that merely begin like a negation: niemiecki "German", niektóre "some",
        # niedziela "Sunday", nejlepší "best", nebo "or", недел- "week", безопасн- "security" …)
        "pl": rf"\b(?:(?!niemi|niekt|niedziel|niedawn|niezbędn|niebo|niebiesk|niedźw)nie{_W}*|nigdy|żad{_W}*|ani|bez{_W}*|brak{_W}*|odmówi{_W}*|odmaw{_W}*|zabroni{_W}*|"
              rf"zapomni{_W}*|dopiero|tylko)\b",
        "cs": rf"\b(?:(?!nej(?!sou|de|dou|sem|sme|ste|si\b)|nebo|neboť|neděl|nedávn)ne{_W}*|nikdy|nic{_W}*|nikdo|žádn{_W}*|ani|bez{_W}*|odmít{_W}*|odmítl{_W}*|zakáz{_W}*|"
              rf"zapomn{_W}*|teprve|jen|pouze)\b",
        "sk": rf"\b(?:ne{_W}*|nikdy|nič{_W}*|nikto|žiadn{_W}*|ani|bez{_W}*|odmiet{_W}*|až|len)\b",
        "ru": rf"\b(?:(?!недел|нескольк|необходим|некотор|нефт|немец|немецк|нейтрал)не{_W}*|нет|ни|никто|никого|никому|"
              rf"ничто|ничего|ничем|никогда|нигде|никуда|никак{_W}*|ничуть|без|безо|нельзя|отказ{_W}*|запрет{_W}*|"
              rf"забы{_W}*|лишь|только)\b",
        "uk": rf"\b(?:не{_W}*|ні{_W}*|без{_W}*|відмов{_W}*|заборон{_W}*|лише|тільки)\b",
        # (whole words: न and ना also end words such as दिन "day", and मना begins मनाया "celebrated")
        "hi": r"(?<![\u0900-\u097F])(?:न|ना|नहीं|नही|मत|बिना|मना)(?![\u0900-\u097F])|इनकार|इंकार|रोक|असंभव|केवल|सिर्फ",
    }.items()
}
# English negations of a clause.
_TARGET_NEG = re.compile(r"\b(?:not|never|cannot|\w+n['’]t)\b", re.IGNORECASE)
_POSITIVE = {"cannot": "can", "can't": "can", "won't": "will", "shan't": "shall", "ain't": "is"}
# "not" that does not negate the sentence, or that languages render without a negation word.
_IDIOMS = re.compile(
    r"\bnot\s+only\b|\bnot\s+just\b|\bor\s+not\b|\bif\s+not\b|\bnot\s+until\b|\bnot\s+least\b|"
    r"\bthan\s+not\b|\bnot\s+to\s+mention\b|\bnot\s+(?:yet\s+)?(?:more|less|fewer)\s+than\b|"
    r"\bcan(?:no|['’])t\s+help\b|\bnot\s+surprisingly\b|\bnot\s+long\s+(?:after|before|ago)\b|"
    r"\bnot\s+far\s+from\b|\bnot\s+a\s+few\b|\bnot\s+all\s+that\b|\bnothing\s+but\b|\bnot\s+(?:un|in|im|ir|il|dis)\w+",
    re.IGNORECASE)


class NegationCheck(Check):
    needs_source = True
    rules = (
        RuleInfo(
            "BI-NEG-001", "Accuracy/Mistranslation", Severity.MAJOR,
            "A negation in the target ('not', 'never', 'n't') with no negation anywhere in the source: "
            "the translation may say the opposite.",
            good=(
                "Er ist nicht gekommen. ||| He did not come.",
                "他没有来。 ||| He did not come.",
                "Il est venu hier. ||| He came yesterday.",
                "Es kam erst am Montag. ||| It did not arrive until Monday.",
                "Elle parle anglais et français. ||| She speaks not only English but also French.",
                "Er kam nicht, weil er keine Zeit hatte. ||| He did not come because he didn't have time.",
                "वह दिन भर काम नहीं कर सका। ||| He could not work all day.",
                "Он не вернулся домой. ||| He did not return home.",
                "Ich musste mich wenig an die Strecke gewöhnen. ||| I didn't have to get used to the track much.",
            ),
            bad=(
                "Er starb 1990 in Berlin. ||| He did not die in Berlin in 1990.",
                "Er kam nicht, weil er krank war. ||| He did not come because he was not at home.",
                "Il est venu hier. ||| He didn't come yesterday.",
                "Ella ganó el premio. ||| She never won the prize.",
                "वह दिन भर काम करता रहा। ||| He did not work all day.",
                "Через несколько дней он вернулся домой. ||| A few days later he did not return home.",
                "Rafaj se s ním nejčastěji setkával v Brně. ||| Rafaj did not meet him in Brno.",
                "Unsere Firma arbeitet unter Druck. ||| Our company does not work under pressure.",
                "Il dit qu'il viendra. ||| He says he will not come.",
                "我们非常重视未来的合作。 ||| We do not value future cooperation.",
            ),
        ),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        src, tgt = seg.source, seg.target
        if not src or not tgt:
            return ()
        low = tgt.lower()
        if "not" not in low and "n't" not in low and "n’t" not in low and "never" not in low:
            return ()  # (every _TARGET_NEG match holds one of these: a substring test is ten times cheaper)
        lang = ctx.source_language(seg) or ""
        markers = _SOURCE_MARKERS.get(lang)
        if markers is None or lang == (language_code(ctx.target_lang) or "en"):
            return ()
        negs = list(_TARGET_NEG.finditer(tgt))
        if negs:
            idioms = [(i.start(), i.end()) for i in _IDIOMS.finditer(tgt)]
            negs = [n for n in negs if not any(a <= n.start() < b for a, b in idioms)]
        if not negs:
            return ()
        found = len(markers.findall(src))
        if found >= len(negs):
            return ()
        if found:
            # more negations than the source has markers: one of them has no counterpart, which
            # one cannot be told (the last is flagged, with nothing to suggest)
            n = negs[-1]
            return [self.finding("BI-NEG-001", seg, n.start(), n.end(),
                                 f"The target has {len(negs)} negations, the source ({lang}) at most {found}: "
                                 "check that none reverses the meaning.", ())]
        n = negs[0]
        word = n.group()
        low = word.lower().replace("’", "'")
        positive = _POSITIVE.get(low, word[:-3] if low.endswith("n't") else "")
        if positive and word[:1].isupper():
            positive = positive[:1].upper() + positive[1:]
        sugg = (positive,)
        return [self.finding("BI-NEG-001", seg, n.start(), n.end(),
                             f"'{word}' has no negation in the source ({lang}): check that the meaning is not reversed.",
                             sugg)]
