"""Verifier rules from the writer's own leads (session 5): one item's figure said of every item of a list, and a
class code the passage never writes. Each rule catches a wrong sentence and keeps a correct one."""

from __future__ import annotations

import pytest

from assistant.text.named import missing_codes
from assistant.text.placement import overgeneralised_figures
from assistant.text.support import CONTENT, NUMBER, Passage, check_sentence

SCALE = Passage(1, "1.1. Chất lượng mỗi kỳ sinh hoạt được chấm theo thang 100 điểm, gồm: công tác chuẩn bị 20 điểm; "
                   "tỷ lệ đảng viên dự sinh hoạt 20 điểm; nội dung sinh hoạt 30 điểm; tính chiến đấu trong thảo "
                   "luận 20 điểm; thực hiện trình tự, thời lượng 10 điểm.", "mục 1.1 Hướng dẫn 42-HD/BTCTW")
ABSENCE = Passage(1, "2. Đảng viên vắng sinh hoạt chi bộ không có lý do bị trừ 05 điểm cho mỗi lần vắng; vắng có lý do "
                     "bị trừ 02 điểm.", "khoản 2 Điều 5 Quy định 366-QĐ/TW")
FILM = Passage(1, "d) Loại T13 (13+): Phim được phổ biến đến người xem từ đủ 13 tuổi trở lên;",
               "điểm d khoản 1 Điều 32 Luật Điện ảnh")


def test_one_items_figure_said_of_every_item_is_caught() -> None:
    verdict = check_sentence("Mỗi mục của thang điểm được 20 điểm [1].", [SCALE])
    assert NUMBER in verdict.problems
    assert check_sentence("Công tác chuẩn bị được chấm 20 điểm [1].", [SCALE]).supported


@pytest.mark.parametrize("sentence", [
    "Đảng viên vắng sinh hoạt không có lý do bị trừ 05 điểm cho mỗi lần vắng [1].",  # the passage says "mỗi" too
    "Cả công tác chuẩn bị và tính chiến đấu trong thảo luận đều được 20 điểm [1].",  # "đều" of two named items
])
def test_each_the_passage_says_or_both_named_items_are_kept(sentence: str) -> None:
    passage = ABSENCE if "vắng" in sentence else SCALE
    assert overgeneralised_figures(sentence, [passage.text]) == []


def test_a_class_code_the_passage_never_writes_is_caught() -> None:
    wrong = check_sentence("Phim dán nhãn K là phim phổ biến đến người xem từ đủ 13 tuổi trở lên [1].", [FILM])
    assert CONTENT in wrong.problems and "nhãn K" in wrong.details
    assert check_sentence("Phim loại T13 được phổ biến đến người xem từ đủ 13 tuổi trở lên [1].", [FILM]).supported
    assert missing_codes("xe máy hạng A1", "Giấy phép lái xe hạng A1 cấp cho người lái xe mô tô") == []


TRANSFER = Passage(1, "1. Chuyển sinh hoạt đảng chính thức:\n\na) Trong cùng đảng bộ tỉnh, thành phố: không quá 05 ngày làm "
                      "việc kể từ ngày nhận đủ hồ sơ hợp lệ;\n\nb) Ra ngoài đảng bộ tỉnh, thành phố: không quá 10 ngày "
                      "làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", "khoản 1 Điều 6 Quy định 338-QĐ/TW")
CLOSING = Passage(1, "Buổi sinh hoạt kết thúc lúc 21 giờ 00 phút cùng ngày. Biên bản đã được đọc lại trước chi bộ; 23/23 đồng "
                     "chí có mặt thống nhất với nội dung biên bản.", "mục 6 Biên bản 05-BB/CB")


def test_same_and_other_are_told_apart_and_a_clock_time_is_one_figure() -> None:
    """"cùng" (same) is no glue word like "cũng" (also): it sets point a) apart from point b)."""
    wrong = check_sentence("Trong cùng đảng bộ tỉnh, thành phố: không quá 10 ngày làm việc kể từ ngày nhận đủ hồ sơ "
                           "hợp lệ [1].", [TRANSFER])
    assert NUMBER in wrong.problems
    assert check_sentence("Chuyển sinh hoạt trong cùng đảng bộ tỉnh mất không quá 05 ngày làm việc [1].",
                          [TRANSFER]).supported
    # "21 giờ 00 phút cùng ngày": the minutes are part of the hour, not a figure "cùng ngày" belongs to.
    assert check_sentence("Buổi sinh hoạt kết thúc lúc 21 giờ cùng ngày và cả 23 đồng chí có mặt đều thống nhất với "
                          "nội dung biên bản [1].", [CLOSING]).supported
