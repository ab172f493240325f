"""The pickle cache of word lists and derived tables: built once, read back, and not left to pile
up when a new version writes its own files."""

import os
import pickle

from review import lexicons


def _age(path, seconds_ago):
    t = path.stat().st_mtime - seconds_ago
    os.utime(path, (t, t))


def test_load_or_build_builds_once_and_prunes_older_files_of_its_kind(tmp_path):
    for i in range(4):
        old = tmp_path / f"thing-v{i}.pickle"
        old.write_bytes(pickle.dumps({"v": i}))
        _age(old, 1000 - i)  # v3 the newest of the old ones
    other = tmp_path / "other-v0.pickle"
    other.write_bytes(pickle.dumps(0))
    _age(other, 5000)
    calls = []

    def build():
        calls.append(1)
        return {"v": 9}

    path = tmp_path / "thing-v9.pickle"
    assert lexicons.load_or_build(path, build, lambda o: o == {"v": 9}, "thing-*.pickle") == {"v": 9}
    assert calls == [1]
    kept = sorted(p.name for p in tmp_path.glob("*.pickle"))
    assert kept == ["other-v0.pickle", "thing-v3.pickle", "thing-v9.pickle"]
    # the next process reads the file back without building
    assert lexicons.load_or_build(path, build, lambda o: o == {"v": 9}, "thing-*.pickle") == {"v": 9}
    assert calls == [1]


def test_a_word_list_written_for_a_new_version_prunes_the_stale_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(lexicons, "_MEMO", {})
    stale = [tmp_path / f"words-en-0.0.{i}.pickle" for i in range(3)]
    for i, p in enumerate(stale):
        p.write_bytes(pickle.dumps({"old": i}))
        _age(p, 1000 - i)
    words = lexicons.word_frequencies("en")
    assert words["the"] > 1000
    current = tmp_path / f"words-en-{lexicons.spellchecker_version()}.pickle"
    assert pickle.loads(current.read_bytes()) == words
    names = sorted(p.name for p in tmp_path.glob("words-en-*.pickle"))
    assert names == sorted([current.name, stale[-1].name])


def test_cldr_tables_are_cached_for_known_languages_only(tmp_path, monkeypatch):
    from review.checks import places

    monkeypatch.setenv("REVIEW_CACHE_DIR", str(tmp_path))
    places._cldr.cache_clear()
    try:
        assert places._cldr("de")["territories"]["SE"] == "Schweden"
        assert places._cldr("qq")["territories"] == {}  # no such locale: checked, nothing cached
        assert sorted(p.name.split("-")[1] for p in tmp_path.glob("places-*.pickle")) == ["de"]
        places._cldr.cache_clear()  # a new process reads the file back
        assert places._cldr("de")["territories"]["SE"] == "Schweden"
    finally:
        places._cldr.cache_clear()
