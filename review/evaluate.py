"""`review eval`: measure the checks on external, human-made data.

DEMETR (Karpinska et al. 2022): does a check fire on the perturbed MT and stay quiet on the
unperturbed MT? WMT 2021 zh→en MQM (Freitag et al. 2021): do findings land on human error spans?
"""

from __future__ import annotations

import gzip
import json
import math
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .model import Document, InputError, Segment, Severity

DEMETR_LANGS = {
    "chinese_simple": "zh", "chinese": "zh", "japanese": "ja", "german": "de", "french": "fr",
    "spanish": "es", "italian": "it", "polish": "pl", "czech": "cs", "russian": "ru", "hindi": "hi",
}
SURFACE = (
    "minor_id1_repeat2", "minor_id2_repeat4", "minor_id31_full_lower", "minor_id32_first_lower",
    "minor_id15_case", "minor_id28_final_punc_removed", "minor_id29_punc_addition", "minor_id30_tokenized",
    "minor_id26_misspelled", "minor_id27_char_removed", "critical_id4_codemix", "critical_id10_numbers_replaced",
    "base_id33_empty", "major_id19_question",
)
WEIGHT = {Severity.NEUTRAL: 0.0, Severity.MINOR: 1.0, Severity.MAJOR: 5.0, Severity.CRITICAL: 25.0}


def default_data_dir() -> Path:
    here = Path.cwd()
    for base in (here, *here.parents):
        cand = base.parent / "shared" / "data" if base.name else None
        if cand and (cand / "demetr-dev.jsonl.gz").exists():
            return cand
        cand = base / "shared" / "data"
        if (cand / "demetr-dev.jsonl.gz").exists():
            return cand
    return here.parent / "shared" / "data"


def _read_jsonl_gz(path: Path, limit: int | None = None):
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if limit is not None and n >= limit:
                    return
                yield json.loads(line)
    except FileNotFoundError:
        raise InputError(f"{path}: no such data file") from None
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: unreadable ({e})") from None


def _segment(source: str | None, target: str, lang: str | None) -> list[Segment]:
    # Without a source the item stands for plain MT English (as the sample): a one-sentence text
    # file, so it carries offsets like a sentence of plain text. With a source it is a table row.
    if source is None:
        return [Segment(index=0, id="s", target=target, start=0, end=len(target), source_lang=lang)]
    return [Segment(index=0, id="s", source=source, target=target, source_lang=lang)]


@dataclass
class DemetrResult:
    per_type: dict = field(default_factory=dict)  # type -> (n, detected, detected_new)
    fa_n: int = 0
    fa_flagged: int = 0
    fa_rules: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    segments: int = 0


def eval_demetr(engine, path: Path, limit: int | None = None, bilingual: bool = True) -> DemetrResult:
    res = DemetrResult()
    mt_cache: dict[tuple, set] = {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    t0 = time.perf_counter()
    per_type_seen: Counter = Counter()
    for item in _read_jsonl_gz(path):
        if not item.get("pert_check"):
            continue
        name = item["pert_name"]
        if limit is not None and per_type_seen[name] >= limit:
            continue
        per_type_seen[name] += 1
        lang = DEMETR_LANGS.get(item.get("lang_tag", ""), None)
        src = item["src_sent"] if bilingual else None
        key = (item["src_sent"], item["mt_sent"])
        if key not in mt_cache:
            fs = engine.check(_segment(src, item["mt_sent"], lang))
            res.segments += 1
            mt_cache[key] = {(f.rule, f.text) for f in fs}
            res.fa_n += 1
            if fs:
                res.fa_flagged += 1
                for r in {f.rule for f in fs}:
                    res.fa_rules[r] += 1
        if name == "base_id35_reference":
            continue  # the human reference is not an error
        fs = engine.check(_segment(src, item["pert_sent"], lang))
        res.segments += 1
        c = counts[name]
        c[0] += 1
        if fs:
            c[1] += 1
            if any((f.rule, f.text) not in mt_cache[key] for f in fs):
                c[2] += 1
    res.seconds = time.perf_counter() - t0
    res.per_type = {k: tuple(v) for k, v in counts.items()}
    return res


@dataclass
class MqmResult:
    ratings: int = 0
    flagged: int = 0
    findings: int = 0
    on_span: int = 0
    by_rule: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    pearson: float = float("nan")
    seconds: float = 0.0
    erroneous: int = 0
    flagged_erroneous: int = 0


def _pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")


def eval_mqm(engine, path: Path, limit: int | None = None) -> MqmResult:
    res = MqmResult()
    weights, penalties = [], []
    t0 = time.perf_counter()
    for item in _read_jsonl_gz(path, limit):
        target = item.get("target") or ""
        spans = [(e["start"], e["end"]) for e in item.get("errors", [])
                 if e.get("start") is not None and e.get("end") is not None and e.get("side", "target") == "target"]
        fs = engine.check(_segment(item.get("source"), target, "zh"))
        res.ratings += 1
        if item.get("errors"):
            res.erroneous += 1
        if fs:
            res.flagged += 1
            if item.get("errors"):
                res.flagged_erroneous += 1
        w = 0.0
        for f in fs:
            res.findings += 1
            hit = any(f.start < e and s < max(f.end, f.start + 1) for s, e in spans)
            res.on_span += hit
            r = res.by_rule[f.rule]
            r[0] += 1
            r[1] += hit
            w += WEIGHT[f.severity]
        weights.append(w)
        penalties.append(float(item.get("mqm_penalty") or 0.0))
    res.pearson = _pearson(weights, penalties)
    res.seconds = time.perf_counter() - t0
    return res


def _pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


def report_markdown(dem: DemetrResult | None, mqm: MqmResult | None, dem_mono: DemetrResult | None = None) -> str:
    out = ["# Evaluation", "",
           "Measured with `review eval --output EVALUATION.md` on `../shared/data` (see its README); the",
           "whole file is generated, nothing in it is typed by hand. Default engine: built-in English rule",
           "pack, code checks and the NATO/diplomacy glossary; every item is checked as a one-segment",
           "document (DEMETR with its source, as a row of a bilingual file; then once more without the",
           "source, as a one-sentence plain-text file like the sample, where quotation marks must pair",
           "up; MQM with its Chinese source).", "",
           "How to read it:", "",
           "- DEMETR *detected*: at least one finding on the perturbed sentence. *New finding*: a finding",
           "  the unperturbed MT does not have (the stricter number). Surface perturbations (marked) are",
           "  the ones a checker without a language model can be expected to catch; the others (antonyms,",
           "  negation, tense, omissions) change meaning while staying fluent and are listed for honesty.",
           "  `minor_id15_case` is grammatical case (\"Me don't\", \"they effectiveness\"), not letter casing.",
           "- MQM *precision*: share of findings overlapping a span that the one human rater marked.",
           "  Raters mark spacing and punctuation defects inconsistently (e.g. \"2018 .\" or",
           "  \"flood - resistant\" are often left unmarked), so the per-rule table is the useful part.", ""]
    if dem:
        out += ["## DEMETR (bilingual: source + MT)", "",
                f"{dem.segments} checks in {dem.seconds:.1f} s ({dem.segments / max(dem.seconds, 1e-9):.0f} segments/s).", "",
                f"**False alarms on unperturbed MT:** {dem.fa_flagged} of {dem.fa_n} distinct `mt_sent` "
                f"flagged ({_pct(dem.fa_flagged, dem.fa_n)}).", "",
                "Detection = share of perturbed sentences with at least one finding; *new* = with a finding "
                "that the unperturbed MT does not have.", "",
                "| perturbation | n | detected | new finding | surface target |", "|---|---:|---:|---:|:---:|"]
        for name in sorted(dem.per_type, key=lambda k: (k not in SURFACE, k)):
            n, d, dn = dem.per_type[name]
            out.append(f"| {name} | {n} | {_pct(d, n)} | {_pct(dn, n)} | {'yes' if name in SURFACE else ''} |")
        s_n = sum(dem.per_type[k][0] for k in SURFACE if k in dem.per_type)
        s_d = sum(dem.per_type[k][2] for k in SURFACE if k in dem.per_type)
        out += ["", f"Surface perturbations overall (new finding): {_pct(s_d, s_n)}.", "",
                "Rules behind the false alarms (distinct `mt_sent` flagged per rule):", ""]
        out += [f"- {r}: {n}" for r, n in dem.fa_rules.most_common(15)] or ["- none"]
        out.append("")
    if dem_mono:
        out += ["## DEMETR (monolingual: MT only, as with the sample)", "",
                f"False alarms: {_pct(dem_mono.fa_flagged, dem_mono.fa_n)} of {dem_mono.fa_n}.", "",
                "| perturbation | detected (new) |", "|---|---:|"]
        for name in sorted(dem_mono.per_type, key=lambda k: (k not in SURFACE, k)):
            n, d, dn = dem_mono.per_type[name]
            out.append(f"| {name} | {_pct(dn, n)} |")
        out.append("")
    if mqm:
        out += ["## WMT 2021 zh→en MQM", "",
                f"{mqm.ratings} rated translations checked in {mqm.seconds:.1f} s.", "",
                f"- **Findings on a human error span (precision):** {mqm.on_span} of {mqm.findings} ({_pct(mqm.on_span, mqm.findings)})",
                f"- Segments flagged: {mqm.flagged} of {mqm.ratings} ({_pct(mqm.flagged, mqm.ratings)}); "
                f"of the {mqm.erroneous} with a human-marked error, {_pct(mqm.flagged_erroneous, mqm.erroneous)} flagged",
                f"- Pearson correlation of finding weight (minor 1, major 5, critical 25) with `mqm_penalty`: {mqm.pearson:.3f}",
                "", "| rule | findings | on a human span |", "|---|---:|---:|"]
        for rule, (n, hit) in sorted(mqm.by_rule.items(), key=lambda kv: -kv[1][0]):
            out.append(f"| {rule} | {n} | {_pct(hit, n)} |")
        out.append("")
    return "\n".join(out)


def run_evaluation(args) -> int:
    from .engine import Engine

    data = Path(args.data) if args.data else default_data_dir()
    if not (data / "demetr-dev.jsonl.gz").exists():
        raise InputError(f"{data}: no demetr-dev.jsonl.gz here (pass --data DIR)")
    engine = Engine.from_options()
    dem = eval_demetr(engine, data / "demetr-dev.jsonl.gz", args.limit)
    dem_mono = eval_demetr(engine, data / "demetr-dev.jsonl.gz", args.limit, bilingual=False)
    mqm = eval_mqm(engine, data / "mqm-zhen-dev.jsonl.gz", args.limit)
    md = report_markdown(dem, mqm, dem_mono)
    if args.output:
        Path(args.output).write_text(md + "\n", encoding="utf-8")
    if args.format == "json":
        json.dump({"demetr": {k: list(v) for k, v in dem.per_type.items()},
                   "demetr_false_alarm": [dem.fa_flagged, dem.fa_n],
                   "mqm": {"findings": mqm.findings, "on_span": mqm.on_span, "ratings": mqm.ratings,
                           "flagged": mqm.flagged, "pearson": mqm.pearson}}, sys.stdout, indent=2)
        print()
    else:
        print(md)
    return 0
