"""The secretaries' notes dataset (evals/notes) is well formed, and its variants keep their records valid.

Only the standard library, PyYAML and pytest: these tests check the data, not the extractor.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NOTES_DIR = ROOT / "evals" / "notes"
SPLITS = ("dev", "heldout")

STYLES = {"accent_free", "abbreviations", "words_numbers", "transcript", "chat_log", "given_names",
          "multi_task", "attendance_forms", "vote_forms", "formal_numbered"}
FEATURES = STYLES | {"mixed_accents", "ethnic_names", "parent_header", "hyphen_cell_name", "long_cell_name",
                     "place_on_time_line", "guest", "unit_owner", "opinion_with_giao", "deadline_month_end",
                     "relative_deadline", "lunar_deadline", "year_rollover", "short_meeting", "no_date",
                     "titles_in_names", "several_votes"}
HEADER_KEYS = ("kind", "cell", "parent", "place", "number", "date", "start_time", "end_time", "chair", "secretary")
ALLOWED_KEYS = set(HEADER_KEYS) | {"style", "features", "guests", "attendance", "votes", "tasks", "speakers",
                                   "documents", "short_meeting", "minutes_approved"}
ATTENDANCE_COUNTS = ("total", "full", "probationary", "exempt", "present", "absent")
ATTENDANCE_KEYS = set(ATTENDANCE_COUNTS) | {"absent_excused", "absent_unexcused"}
VOTE_KEYS = ("for", "against", "abstain", "out_of")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _load_variants() -> Any:
    spec = importlib.util.spec_from_file_location("notes_variants", NOTES_DIR / "variants.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


variants_mod = _load_variants()


def fold(text: str) -> str:
    """Case-, accent-, tone-placement- and Unicode-form-insensitive form with single spaces."""
    text = variants_mod.strip_diacritics(unicodedata.normalize("NFC", str(text))).lower()
    return re.sub(r"\s+", " ", text).strip()


def _samples() -> list[tuple[str, Path]]:
    return [(split, path) for split in SPLITS for path in sorted((NOTES_DIR / split / "notes").glob("*.txt"))]


SAMPLES = _samples()
IDS = [f"{split}/{path.stem}" for split, path in SAMPLES]


def expected_for(split: str, notes: Path) -> dict[str, Any]:
    return yaml.safe_load((NOTES_DIR / split / "expected" / f"{notes.stem}.yaml").read_text(encoding="utf-8"))


def _minutes(start: str, end: str) -> int:
    (h1, m1), (h2, m2) = (map(int, start.split(":")), map(int, end.split(":")))
    return (h2 * 60 + m2) - (h1 * 60 + m1)


def people(expected: dict[str, Any]) -> set[str]:
    """Every person named in a record (task owners that are bodies are left out by the caller's data)."""
    names = {expected.get("chair"), expected.get("secretary")}
    names |= set(expected.get("guests") or []) | set(expected.get("speakers") or [])
    att = expected.get("attendance") or {}
    names |= set(att.get("absent_excused") or []) | set(att.get("absent_unexcused") or [])
    names |= {t["owner"] for t in expected.get("tasks") or [] if t.get("owner")}
    return {fold(n) for n in names if n}


def appears(value: str, notes: str, head: str = "") -> bool:
    """``value`` occurs in ``notes`` (folded); a leading "Chi bộ"/"Đảng bộ" may be written "CB"/"ĐB"."""
    want, text = fold(value), fold(notes)
    if want in text:
        return True
    short = {"chi bo ": "cb ", "dang bo ": "db "}.get(head)
    return bool(short and want.startswith(head) and short + want[len(head):] in text)


# -- the set as a whole ---------------------------------------------------------------
def test_dataset_size_and_split() -> None:
    by_split = Counter(split for split, _ in SAMPLES)
    assert sum(by_split.values()) >= 48
    assert by_split["heldout"] == 12
    assert by_split["dev"] >= 36


def test_every_notes_file_has_an_expected_record_and_back() -> None:
    for split in SPLITS:
        notes = {p.stem for p in (NOTES_DIR / split / "notes").glob("*.txt")}
        expected = {p.stem for p in (NOTES_DIR / split / "expected").glob("*.yaml")}
        assert notes == expected, (split, notes ^ expected)
    stems = [path.stem for _, path in SAMPLES]
    assert len(stems) == len(set(stems)), "a file name is used in both dev and heldout"


def test_styles_are_covered() -> None:
    styles = Counter(expected_for(split, path)["style"] for split, path in SAMPLES)
    assert set(styles) <= STYLES
    assert len(styles) >= 8
    assert all(n >= 4 for n in styles.values()), styles
    heldout = {expected_for(split, path)["style"] for split, path in SAMPLES if split == "heldout"}
    assert len(heldout) >= 8, heldout


def test_header_traits_are_covered() -> None:
    features = Counter(f for split, path in SAMPLES for f in expected_for(split, path).get("features") or [])
    for trait in ("long_cell_name", "hyphen_cell_name", "place_on_time_line", "parent_header", "ethnic_names",
                  "mixed_accents"):
        assert features[trait] >= 3, (trait, features[trait])


def test_heldout_people_and_cells_differ_from_dev() -> None:
    dev_people: set[str] = set()
    dev_cells: set[str] = set()
    held_people: set[str] = set()
    held_cells: set[str] = set()
    for split, path in SAMPLES:
        expected = expected_for(split, path)
        (dev_people if split == "dev" else held_people).update(people(expected))
        if expected.get("cell"):
            (dev_cells if split == "dev" else held_cells).add(fold(expected["cell"]))
    generic = {fold("Chi ủy")}
    assert not (dev_people & held_people) - generic, sorted(dev_people & held_people)
    assert not dev_cells & held_cells


def test_notes_are_nfc_and_never_name_a_district() -> None:
    for _, path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path.name
        assert not re.search(r"(?<!\w)huyen(?!\w)", fold(text)), f"{path.name}: district level (abolished)"


# -- each record ----------------------------------------------------------------------
@pytest.mark.parametrize(("split", "notes"), SAMPLES, ids=IDS)
def test_expected_record_shape(split: str, notes: Path) -> None:
    expected = expected_for(split, notes)
    assert set(expected) <= ALLOWED_KEYS, set(expected) - ALLOWED_KEYS
    for key in HEADER_KEYS:
        assert key in expected, f"header field {key} missing (write null when the notes are silent)"
    assert expected["style"] in STYLES
    assert set(expected.get("features") or []) <= FEATURES, set(expected["features"]) - FEATURES
    assert expected["kind"] in ("regular", "thematic", "extraordinary")
    for key in ("cell", "parent", "place", "chair", "secretary"):
        assert expected[key] is None or (isinstance(expected[key], str) and expected[key].strip())
    assert expected["number"] is None or re.fullmatch(r"\d{2}", str(expected["number"]))
    if expected["cell"]:
        assert fold(expected["cell"]).startswith("chi bo ")
    if expected["parent"]:
        assert fold(expected["parent"]).startswith("dang bo ")
    for key in ("start_time", "end_time"):
        assert expected[key] is None or (isinstance(expected[key], str) and TIME_RE.match(expected[key])), key
    att = expected["attendance"]
    assert set(att) <= ATTENDANCE_KEYS
    assert all(isinstance(att[k], int) and att[k] >= 0 for k in ATTENDANCE_COUNTS if k in att)
    assert isinstance(att["absent_excused"], list) and isinstance(att["absent_unexcused"], list)
    assert isinstance(expected["votes"], list)
    for vote in expected["votes"]:
        assert set(vote) <= set(VOTE_KEYS)
        assert all(isinstance(v, int) and v >= 0 for v in vote.values())
    for task in expected["tasks"]:
        assert set(task) == {"owner", "deadline"} and isinstance(task["owner"], str) and task["owner"].strip()
    assert all(isinstance(s, str) and s.strip() for s in expected["speakers"])
    assert isinstance(expected["documents"], list)
    for doc in expected["documents"]:
        assert re.fullmatch(r"\d+-[A-ZĐ]+/[A-ZĐ]+", doc), doc
    assert expected.get("short_meeting", True) is True and expected.get("minutes_approved", True) is True


@pytest.mark.parametrize(("split", "notes"), SAMPLES, ids=IDS)
def test_dates_and_times_are_valid(split: str, notes: Path) -> None:
    expected = expected_for(split, notes)
    date = expected["date"]
    assert date is None or (isinstance(date, dt.date) and date.year == 2026)
    for task in expected["tasks"]:
        deadline = task["deadline"]
        assert deadline is None or isinstance(deadline, dt.date), deadline
        if deadline is not None:
            assert deadline.year in (2026, 2027)
            if date is not None:
                assert deadline >= date, (task, date)
    start, end = expected["start_time"], expected["end_time"]
    if start and end:
        length = _minutes(start, end)
        assert 30 <= length <= 300, length
        limit = 120 if expected["kind"] == "thematic" else 90
        assert bool(expected.get("short_meeting")) == (length < limit), (length, limit)
    else:
        assert not expected.get("short_meeting")


@pytest.mark.parametrize(("split", "notes"), SAMPLES, ids=IDS)
def test_expected_values_occur_in_the_notes(split: str, notes: Path) -> None:
    text = notes.read_text(encoding="utf-8")
    expected = expected_for(split, notes)
    for name in people(expected):
        assert appears(name, text), f"{name!r} is not in {notes.name}"
    if expected["cell"]:
        assert appears(expected["cell"], text, "chi bo "), expected["cell"]
    if expected["parent"]:
        assert appears(expected["parent"], text, "dang bo "), expected["parent"]
    if expected["place"]:
        assert appears(expected["place"], text), expected["place"]
    if expected["number"]:
        assert re.search(rf"(?<!\d){expected['number']}-BB", text), expected["number"]
    for doc in expected["documents"]:
        assert appears(doc, text), doc


@pytest.mark.parametrize(("split", "notes"), SAMPLES, ids=IDS)
def test_attendance_is_consistent(split: str, notes: Path) -> None:
    att = expected_for(split, notes)["attendance"]
    total, present, exempt, absent = att.get("total"), att.get("present"), att.get("exempt", 0), att.get("absent")
    named = len(att["absent_excused"]) + len(att["absent_unexcused"])
    if "full" in att and "probationary" in att and total is not None:
        assert att["full"] + att["probationary"] == total
    if absent is not None:
        assert named <= absent
    if total is not None and present is not None:
        assert present + named <= total - exempt
        if absent is not None:
            assert present + absent == total - exempt
    assert not set(map(fold, att["absent_excused"])) & set(map(fold, att["absent_unexcused"]))


@pytest.mark.parametrize(("split", "notes"), SAMPLES, ids=IDS)
def test_votes_and_speakers_are_consistent(split: str, notes: Path) -> None:
    expected = expected_for(split, notes)
    present = expected["attendance"].get("present")
    for vote in expected["votes"]:
        cast = sum(vote.get(k, 0) for k in ("for", "against", "abstain"))
        if "out_of" in vote:
            assert cast <= vote["out_of"]
            if present is not None:
                assert vote["out_of"] <= present
        if present is not None:
            assert cast <= present
    speakers = [fold(s) for s in expected["speakers"]]
    assert len(speakers) == len(set(speakers))
    if expected["chair"]:
        assert fold(expected["chair"]) not in speakers, "the chair is not listed among speakers (convention)"
    absent = {fold(n) for n in expected["attendance"]["absent_excused"] + expected["attendance"]["absent_unexcused"]}
    assert not absent & set(speakers), "an absent member cannot speak"
    assert not absent & {fold(expected["chair"] or ""), fold(expected["secretary"] or "")}


# -- the variant generator -------------------------------------------------------------
def test_strip_diacritics_examples() -> None:
    strip = variants_mod.strip_diacritics
    assert strip("Đồng chí Hà Văn Long, Bí thư Chi bộ") == "Dong chi Ha Van Long, Bi thu Chi bo"
    assert strip("H'Yâm Ayŭn, Y Bhơk Niê, Lò Văn Hặc") == "H'Yam Ayun, Y Bhok Nie, Lo Van Hac"
    assert strip(unicodedata.normalize("NFD", "Thủy")) == "Thuy"


def test_abbreviate_rewrites_words_and_spares_protected_strings() -> None:
    text = "Chi bộ ấp 3\nChủ trì: đồng chí Lê Văn A, Bí thư chi bộ\nĐịa điểm: Hội trường Đảng ủy xã"
    out = variants_mod.abbreviate(text, random.Random(1), keep=["Hội trường Đảng ủy xã"], rate=1.0)
    lines = out.split("\n")
    assert lines[0] == "CB ấp 3"
    assert lines[1].startswith("CT: ") and "đồng chí" not in lines[1] and "BT CB" in lines[1]
    assert lines[2] == "Địa điểm: Hội trường Đảng ủy xã"


def test_old_tone_marks_examples() -> None:
    assert variants_mod.old_tone_marks("Hòa, thủy, khỏe, quý, của, hoàn") == "Hoà, thuỷ, khoẻ, quý, của, hoàn"


@pytest.mark.parametrize(("split", "notes"), SAMPLES, ids=IDS)
def test_variants_keep_lines_and_expectations(split: str, notes: Path) -> None:
    text = notes.read_text(encoding="utf-8")
    expected = expected_for(split, notes)
    produced = variants_mod.variants(text, expected, notes.stem)
    assert produced, notes.name
    names = [name for name, _, _, _ in produced]
    assert len(names) == len(set(names))
    assert produced == variants_mod.variants(text, expected, notes.stem), "not deterministic for a seed"
    for name, description, variant, record in produced:
        assert description and variant != text
        assert variant.count("\n") == text.count("\n"), f"{name} changed the line count"
        assert record == expected and record is not expected
        for person in people(record):
            assert appears(person, variant), f"{name}: {person!r} lost"
        if record["cell"]:
            assert appears(record["cell"], variant, "chi bo "), f"{name}: cell lost"
        if record["parent"]:
            assert appears(record["parent"], variant, "dang bo "), f"{name}: parent lost"
        if record["place"]:
            assert appears(record["place"], variant), f"{name}: place lost"
        if name in ("accent_free", "abbreviated_accent_free"):
            decomposed = unicodedata.normalize("NFD", variant)
            assert not any(unicodedata.combining(ch) for ch in decomposed) and "đ" not in variant.lower()
        if name == "reordered":
            old, new = text.split("\n"), variant.split("\n")
            assert sorted(old) == sorted(new) and old[0] == new[0]
            for before, after in zip(old, new, strict=True):
                if re.search(r"(?<!\w)(giao|bieu quyet|bq|co mat|chu tri|ket luan)(?!\w)", fold(before)):
                    assert before == after, f"a fixed line moved: {before!r}"


def test_variants_multiply_the_set() -> None:
    kinds: Counter[str] = Counter()
    for split, path in SAMPLES:
        for name, _, _, _ in variants_mod.variants(path.read_text(encoding="utf-8"), expected_for(split, path), 0):
            kinds[name] += 1
    assert sum(kinds.values()) >= 4 * len(SAMPLES)
    for name in ("accent_free", "mixed_accents", "abbreviated", "reordered", "abbreviated_accent_free"):
        assert kinds[name] >= 20, (name, kinds[name])
