"""Session-4 rules of the verifier: a figure or an actor put in another part of the passage, scope and
opposite words, permission turned into duty, fractions in words, and the stricter ``Strictness`` knob.

Each rule is shown catching a wrong sentence and keeping a correct rewording of the same passage.
"""

from __future__ import annotations

import pytest

from assistant.text.lexicon import new_words, without_address
from assistant.text.placement import misplaced_figures, swapped_actors
from assistant.text.support import BODIES, BODY, NUMBER, POLARITY, Passage, Strictness, check_sentence

FILES = Passage(1, "3. Thời hạn giải quyết hồ sơ như sau:\na) Hồ sơ chuyển sinh hoạt tạm thời: không quá 05 ngày "
                   "làm việc;\nb) Hồ sơ chuyển sinh hoạt chính thức ra ngoài tỉnh: không quá 10 ngày làm việc.",
                "khoản 3 Điều 8 Quy định 01-QĐ/X")
LEAD = Passage(1, "2. Ban Tuyên giáo chủ trì, phối hợp với Ủy ban Kiểm tra tổ chức hội nghị sơ kết; người đứng đầu "
                  "cơ quan báo cáo cho Ban Thường vụ kết quả sơ kết.", "khoản 2 Điều 3 Kế hoạch 02-KH/X")
RIGHTS = Passage(1, "1. Đảng viên có quyền đề nghị chi bộ xem xét lại kết quả xếp loại trước khi chi bộ báo cáo cấp "
                    "trên; mọi đảng viên, trừ đảng viên đang bị đình chỉ, được dự hội nghị; một phần ba số đảng viên "
                    "có thể đề nghị họp bất thường.", "khoản 1 Điều 6 Quy định 03-QĐ/X")


@pytest.mark.parametrize(("sentence", "problem"), [
    ("Hồ sơ chuyển sinh hoạt chính thức ra ngoài tỉnh được giải quyết không quá 05 ngày làm việc [1].", NUMBER),
    ("Ủy ban Kiểm tra chủ trì, phối hợp với Ban Tuyên giáo tổ chức hội nghị sơ kết [1].", BODY),
    ("Đảng viên phải đề nghị chi bộ xem xét lại kết quả xếp loại [1].", POLARITY),  # a right made a duty
    ("Chỉ đảng viên mới có quyền đề nghị chi bộ xem xét lại kết quả xếp loại [1].", POLARITY),  # "chỉ" added
    ("Mọi đảng viên, kể cả đảng viên đang bị đình chỉ, được dự hội nghị [1].", POLARITY),  # "kể cả" for "trừ"
    ("Đảng viên có quyền đề nghị xem xét lại kết quả xếp loại sau khi chi bộ báo cáo cấp trên [1].", POLARITY),
    ("Một phần hai số đảng viên có thể đề nghị họp bất thường [1].", NUMBER),
])
def test_wrong_sentences_are_caught(sentence: str, problem: str) -> None:
    passage = FILES if sentence.startswith("Hồ sơ") else LEAD if "Ban Tuyên" in sentence else RIGHTS
    check = check_sentence(sentence, [passage])
    assert problem in check.problems, (check.problems, check.details)


@pytest.mark.parametrize(("sentence", "passage"), [
    ("Hồ sơ chuyển sinh hoạt chính thức ra ngoài tỉnh được giải quyết không quá 10 ngày làm việc [1].", FILES),
    ("Hồ sơ chuyển sinh hoạt tạm thời được giải quyết trong vòng 05 ngày làm việc, còn hồ sơ chuyển sinh hoạt "
     "chính thức ra ngoài tỉnh không quá 10 ngày làm việc [1].", FILES),
    ("Ban Tuyên giáo chủ trì và phối hợp với Ủy ban Kiểm tra tổ chức hội nghị sơ kết [1].", LEAD),
    ("Thưa đồng chí, đảng viên có quyền đề nghị chi bộ xem xét lại kết quả xếp loại [1].", RIGHTS),
    ("Một phần ba số đảng viên có thể đề nghị họp bất thường [1].", RIGHTS),
])
def test_correct_rewordings_are_kept(sentence: str, passage: Passage) -> None:
    check = check_sentence(sentence, [passage])
    assert check.supported, (check.problems, check.details)


def test_figure_placed_by_its_list_item() -> None:
    assert misplaced_figures("Hồ sơ chuyển sinh hoạt tạm thời: không quá 10 ngày làm việc", [FILES.text]) == [
        "10 ngay lam viec"]
    assert misplaced_figures("Hồ sơ chuyển sinh hoạt tạm thời: không quá 05 ngày làm việc", [FILES.text]) == []


def test_swap_needs_the_passage_to_read_better_swapped() -> None:
    swapped = "Ban Thường vụ báo cáo cho người đứng đầu cơ quan kết quả sơ kết"
    assert swapped_actors(swapped, [LEAD.text], BODIES)
    assert not swapped_actors("Người đứng đầu cơ quan báo cáo cho Ban Thường vụ kết quả sơ kết", [LEAD.text], BODIES)


def test_a_small_figure_in_digits_restates_the_word() -> None:
    passage = Passage(1, "Mỗi đảng viên chỉ có một tài khoản.", "khoản 2 Điều 2 Quy định 04-QĐ/X")
    assert check_sentence("Mỗi đảng viên chỉ có 1 tài khoản [1].", [passage]).supported
    assert NUMBER in check_sentence("Mỗi đảng viên chỉ có 2 tài khoản [1].", [passage]).problems


def test_new_words_allow_synonyms_and_the_address() -> None:
    passage = ["Đảng viên có trách nhiệm kích hoạt tài khoản trong thời hạn 30 ngày."]
    assert without_address("Thưa đồng chí, đảng viên phải làm") == "đảng viên phải làm"
    assert new_words("Đảng viên phải kích hoạt tài khoản trong vòng 30 ngày", passage) == []
    assert new_words("Đảng viên phải kích hoạt tài khoản và mật khẩu trong 30 ngày", passage) == ["khau", "mat"]


def test_strictness_bounds_the_words_a_sentence_adds() -> None:
    passage = Passage(1, "1. Đảng viên có trách nhiệm kích hoạt tài khoản trong thời hạn 30 ngày.", "khoản 1 Điều 5 "
                         "Quy định 05-QĐ/X")
    sentence = "Đảng viên phải kích hoạt tài khoản cá nhân trong vòng 30 ngày [1]."
    assert check_sentence(sentence, [passage]).supported
    assert not check_sentence(sentence, [passage], strictness=Strictness(max_new_words=0)).supported
