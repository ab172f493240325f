"""The letter-run models that tell a word left untranslated from a rare English word."""

import pickle

from review import wordshape


def test_foreign_words_look_foreign_and_rare_english_words_do_not():
    foreign = ["zusammengehalten", "trabajos", "viaggiatore", "descubrimiento", "umsorgt"]
    english = ["marketization", "impactful", "thermoregulation", "beachgoers", "breathability"]
    assert min(map(wordshape.foreignness, foreign)) > 0.4
    assert max(map(wordshape.foreignness, english)) < 0
    assert wordshape.SLAVIC_RE.search("szczepionka") and wordshape.SLAVIC_RE.search("poskytuje")
    assert not any(wordshape.SLAVIC_RE.search(w) for w in english)


def test_models_are_cached_on_disk_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(wordshape, "_MODELS", [])
    wordshape.foreignness.cache_clear()
    built = wordshape.foreignness("trabajos")
    files = list(tmp_path.glob("wordshape-*.pickle"))
    assert len(files) == 1
    english, other = pickle.loads(files[0].read_bytes())
    assert english[0] and other[0]  # 4-gram counts of both models
    monkeypatch.setattr(wordshape, "_MODELS", [])
    wordshape.foreignness.cache_clear()
    assert wordshape.foreignness("trabajos") == built  # read from the file, same answer
    wordshape.foreignness.cache_clear()
