"""Code checks: the ones that are not patterns (terminology, bilingual agreement, spelling,
quotation pairing, document-level consistency). Rule packs live in ``review/rules``."""

from __future__ import annotations

from .base import Check, Context, RuleInfo


def default_checks() -> list[Check]:
    from .text import CaseCheck, EndPunctuationCheck, QuoteCheck, RepeatCheck, TitleNameCheck, VoiceCheck

    checks: list[Check] = [RepeatCheck(), QuoteCheck(), CaseCheck(), EndPunctuationCheck(), VoiceCheck(), TitleNameCheck()]
    from ..formats.tags import TagCheck
    from .bilingual import BilingualCheck, ForeignScriptCheck
    from .digits import ThousandsCheck
    from .gender import GenderCheck
    from .length import LengthCheck
    from .names import NameCheck
    from .places import PlaceCheck
    from .negation import NegationCheck
    from .realword import RealWordCheck
    from .spelling import SpellingCheck
    from .terminology import TERMINOLOGY_CHECKS

    checks.extend(c() for c in TERMINOLOGY_CHECKS)
    checks.append(BilingualCheck())
    checks.append(ForeignScriptCheck())
    checks.append(NegationCheck())
    checks.append(GenderCheck())
    checks.append(LengthCheck())
    checks.append(NameCheck())
    checks.append(PlaceCheck())
    checks.append(TagCheck())
    checks.append(ThousandsCheck())
    checks.append(SpellingCheck())
    checks.append(RealWordCheck())
    return checks


__all__ = ["Check", "Context", "RuleInfo", "default_checks"]
