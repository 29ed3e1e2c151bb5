"""The sentence verifier: every generated sentence checked against the passages it cites."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.verifier import cross_validate, load_items, pooled, score
from assistant.text.support import (
    BODY,
    CONTENT,
    DOCUMENT,
    NO_CITATION,
    NUMBER,
    POLARITY,
    UNIT,
    UNKNOWN_MARKER,
    VERDICT,
    Passage,
    Strictness,
    check_sentence,
    dates,
    is_verdict,
    quantities,
    split_sentences,
)

REPO = Path(__file__).resolve().parents[2]
P = [Passage(1, "1. Đảng viên có trách nhiệm cài đặt Ứng dụng và kích hoạt tài khoản trong thời hạn 30 ngày "
                "kể từ ngày được chi bộ thông báo cấp tài khoản.", "khoản 1 Điều 5 Quy định 339-QĐ/TW"),
     Passage(2, "2. Đảng viên không được cho người khác sử dụng tài khoản của mình.", "khoản 2 Điều 4 Quy định 339-QĐ/TW")]


@pytest.mark.parametrize(("sentence", "problem"), [
    ("Đảng viên phải kích hoạt tài khoản trong vòng 45 ngày [1].", NUMBER),
    ("Đảng viên được cho người khác sử dụng tài khoản của mình [2].", POLARITY),
    ("Theo khoản 2 Điều 6, đảng viên kích hoạt tài khoản trong 30 ngày [1].", UNIT),
    ("Bộ Chính trị yêu cầu đảng viên kích hoạt tài khoản trong 30 ngày [1].", BODY),
    ("Theo Quy định 338-QĐ/TW, đảng viên kích hoạt tài khoản trong 30 ngày [1].", DOCUMENT),
    ("Mức đảng phí hằng tháng của đảng viên là 100.000 đồng [1].", NUMBER),
    ("Đảng viên phải kích hoạt tài khoản trong 30 ngày.", NO_CITATION),
    ("Đảng viên phải kích hoạt tài khoản trong 30 ngày [3].", UNKNOWN_MARKER),
    ("Đúng.", VERDICT),
    ("Nhận định trên là sai [1].", VERDICT),
    ("Đảng viên nên kích hoạt tài khoản trong 30 ngày nếu có điều kiện [1].", POLARITY),
    ("Đảng viên đóng đảng phí qua ngân hàng điện tử hằng quý [1].", CONTENT),
])
def test_wrong_sentences_are_caught(sentence: str, problem: str) -> None:
    assert problem in check_sentence(sentence, P).problems


@pytest.mark.parametrize("sentence", [
    "Đảng viên phải kích hoạt tài khoản trong vòng 30 ngày kể từ khi được chi bộ thông báo [1].",
    "Theo khoản 1 Điều 5 Quy định 339-QĐ/TW, đảng viên kích hoạt tài khoản chậm nhất ba mươi ngày sau khi "
    "được thông báo cấp tài khoản [1].",
    "Đảng viên không được để người khác dùng tài khoản của mình [2].",
])
def test_correct_paraphrases_are_kept(sentence: str) -> None:
    check = check_sentence(sentence, P)
    assert check.supported, check.problems


def test_verdicts_pass_only_for_a_model_measured_able_to_judge() -> None:
    assert not check_sentence("Đúng.", P).supported
    assert check_sentence("Đúng.", P, allow_verdicts=True).supported
    assert is_verdict("Đáp án đúng là B.") and not is_verdict("Đảng viên được lựa chọn hình thức nộp hồ sơ [1].")


def test_numbers_in_words_and_units() -> None:
    found = {(q.value, q.unit) for q in quantities("hai mươi mốt đồng chí, ba năm, 05 ngày làm việc, 100.000 đồng")}
    assert {(21.0, "nguoi"), (3.0, "nam"), (5.0, "ngay lam viec"), (100000.0, "dong")} <= found
    # "một" alone is "a", not one; a year is a bare number, not "5 years"
    assert [(q.value, q.unit) for q in quantities("một số đảng viên năm 2025")] == [(2025.0, None)]
    assert dates("ngày 01 tháng 7 năm 2024 và 29/10/2025") == {(1, 7, 2024), (29, 10, 2025)}


def test_sentences_split_without_breaking_numbers() -> None:
    text = "Đảng viên cài đặt trong 30 ngày [1]. Theo điểm 9.3.2, mức 100.000 đồng [2].\nHết"
    assert split_sentences(text) == ["Đảng viên cài đặt trong 30 ngày [1].",
                                     "Theo điểm 9.3.2, mức 100.000 đồng [2].", "Hết"]


TUNING_SETS = ("verifier_sentences", "verifier_heldout", "verifier_heldout2", "verifier_heldout3",
               "verifier_heldout4", "verifier_heldout5", "verifier_heldout6")


@pytest.mark.slow
def test_tuning_sets_goal_by_cross_validation() -> None:
    """Issue 12: wrong sentences caught >= 95%, correct paraphrases kept >= 85% (on folds not tuned on)."""
    sets = [(name, load_items(REPO / "evals" / f"{name}.jsonl")) for name in TUNING_SETS]
    # A coarse grid; the bench searches the full one (with the bound on a sentence's own words).
    coarse = [Strictness(min_content=c, min_clause_content=k, max_new_words=n)
              for c in (0.4, 0.55, 0.7) for k in (0.0, 0.4, 0.6) for n in (None, 1)]
    per_set, chosen = cross_validate(sets, grid=coarse)
    total = pooled(per_set)
    assert len(chosen) == 5
    assert total.caught_rate >= 0.95 and total.kept_rate >= 0.85, total.misses


def test_second_heldout_set_floor() -> None:
    """verifier_heldout2 is tuned on since session 3 (its misses were fixed by general rules): pinned high."""
    result = score(load_items(REPO / "evals" / "verifier_heldout2.jsonl"))
    assert result.caught_rate >= 0.97 and result.kept_rate >= 0.95, result.misses


def test_third_heldout_set_floor() -> None:
    """verifier_heldout3 is tuned on since session 4 (scored blind once: caught 72.6%, kept 92.1%; now
    124/124 = 100%, 99/101 = 98.0%): pinned a little below what is measured, so a regression shows."""
    result = score(load_items(REPO / "evals" / "verifier_heldout3.jsonl"))
    assert result.caught_rate >= 0.97 and result.kept_rate >= 0.96, result.misses


def test_fourth_heldout_set_floor() -> None:
    """verifier_heldout4 is tuned on since session 5 (scored blind once: caught 87.5%, kept 94.4%; now
    85/88 = 96.6%, 70/72 = 97.2%): pinned a little below what is measured."""
    result = score(load_items(REPO / "evals" / "verifier_heldout4.jsonl"))
    assert result.caught_rate >= 0.94 and result.kept_rate >= 0.95, result.misses


def test_fifth_and_sixth_heldout_set_floors() -> None:
    """verifier_heldout5 (blind: caught 78.8%, kept 92.6%; tuned on since round 4: 64/66, 53/54) and
    verifier_heldout6 (blind: 93.2%, 91.9%; tuned on since round 5: 87/88, 61/62): pinned a little below."""
    fifth = score(load_items(REPO / "evals" / "verifier_heldout5.jsonl"))
    sixth = score(load_items(REPO / "evals" / "verifier_heldout6.jsonl"))
    assert fifth.caught_rate >= 0.95 and fifth.kept_rate >= 0.95, fifth.misses
    assert sixth.caught_rate >= 0.97 and sixth.kept_rate >= 0.96, sixth.misses


def test_chinese_characters_are_refused() -> None:
    """The 1.5B model once wrote "đoàn kết và凝聚力": a sentence with non-Vietnamese script is dropped."""
    assert "foreign" in check_sentence("Đảng viên phải kích hoạt tài khoản trong 30 ngày 凝聚力 [1].", P).problems
