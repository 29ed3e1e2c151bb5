"""Verifier rules of the fourth round: the part a sentence names, period labels, figures after "từ", words taken
from a passage the sentence does not cite, a proposal told as a decision, "all" over a narrowed noun, local bodies,
and the issuer a report speaks for.

Each rule is shown catching a wrong sentence and keeping a correct rewording of the same passage.
"""

from __future__ import annotations

import pytest

from assistant.text.quantities import ordinal_labels, quantities
from assistant.text.subunits import misnamed_parts
from assistant.text.support import BODY, CONTENT, NUMBER, POLARITY, UNIT, Passage, check_sentence

ARTICLE_5 = Passage(1, "Điều 5. Cài đặt và kích hoạt tài khoản\n"
                       "1. Đảng viên có trách nhiệm cài đặt Ứng dụng và kích hoạt tài khoản trong thời hạn 30 ngày kể "
                       "từ ngày được chi bộ thông báo cấp tài khoản.\n"
                       "2. Đối với đảng viên mới được kết nạp, chi bộ đề nghị cấp tài khoản trong thời hạn 15 ngày làm "
                       "việc kể từ ngày có quyết định kết nạp đảng viên.\n"
                       "3. Khi đảng viên chuyển sinh hoạt đảng, tài khoản được giữ nguyên; chi bộ nơi đảng viên chuyển "
                       "đi cập nhật thông tin chuyển sinh hoạt trên Ứng dụng trong thời hạn 05 ngày làm việc.",
                    "Điều 5 Quy định 339-QĐ/TW")
PERSONAL = Passage(1, "2. Thông tin cá nhân đảng viên tự cập nhật gồm:\n"
                      "a) Họ và tên, ngày sinh, quê quán;\n"
                      "b) Trình độ học vấn, chuyên môn, lý luận chính trị;\n"
                      "c) Nghề nghiệp, chức vụ, đơn vị công tác;\n"
                      "d) Nơi cư trú, số điện thoại liên hệ;", "khoản 2 Điều 6 Quy định 339-QĐ/TW")


@pytest.mark.parametrize(("sentence", "problem"), [
    # the words of khoản 2 under the name of khoản 3 (the article is the one cited)
    ("Theo khoản 3 Điều 5 Quy định 339-QĐ/TW, chi bộ đề nghị cấp tài khoản cho đảng viên mới được kết nạp trong "
     "thời hạn 15 ngày làm việc [1].", UNIT),
    ("Theo khoản 2 Điều 5 Quy định 339-QĐ/TW, chi bộ đề nghị cấp tài khoản cho đảng viên mới được kết nạp trong "
     "thời hạn 15 ngày làm việc [1].", None),
    ("Khoản 1 Điều 5 quy định đảng viên phải cài đặt Ứng dụng và kích hoạt tài khoản trong vòng 30 ngày [1].", None),
])
def test_a_named_clause_must_hold_what_the_sentence_says(sentence: str, problem: str | None) -> None:
    result = check_sentence(sentence, [ARTICLE_5])
    assert (problem in result.problems) if problem else result.supported, result


@pytest.mark.parametrize(("sentence", "supported"), [
    ("Theo điểm d khoản 2 Điều 6, đảng viên tự cập nhật trình độ học vấn, chuyên môn và lý luận chính trị [1].", False),
    ("Theo điểm b khoản 2 Điều 6, đảng viên tự cập nhật trình độ học vấn, chuyên môn và lý luận chính trị [1].", True),
])
def test_a_named_point_must_hold_what_the_sentence_says(sentence: str, supported: bool) -> None:
    result = check_sentence(sentence, [PERSONAL])
    assert result.supported is supported, result
    if not supported:
        assert UNIT in result.problems


def test_misnamed_parts_leaves_parts_it_cannot_find_alone() -> None:
    from assistant.text.references import parse_citation
    refs = parse_citation("điểm g khoản 2 Điều 6")
    assert misnamed_parts("họ và tên, ngày sinh", refs, PERSONAL.text, parse_citation(PERSONAL.citation)[0]) == []


def test_a_figure_after_tu_with_a_unit_is_a_quantity() -> None:
    assert [(q.value, q.unit) for q in quantities("nghỉ ốm từ 06 tháng trở lên")] == [(6.0, "thang")]
    assert [q.unit for q in quantities("từ khoản 1 đến 3")] == [None, None]  # still labels
    assert [(q.value, q.unit) for q in quantities("nhận trẻ từ 03 tháng tuổi")] == [(3.0, "thang tuoi")]
    grading = Passage(1, "2. Đảng viên nghỉ ốm đau, thai sản từ 06 tháng trở lên trong năm thì chi bộ xem xét, không "
                         "xếp loại chất lượng.", "khoản 2 Điều 8 Quy định 366-QĐ/TW")
    wrong = check_sentence("Đảng viên nghỉ thai sản từ 04 tháng trở lên trong năm thì không được xếp loại chất lượng [1].",
                           [grading])
    assert NUMBER in wrong.problems
    assert check_sentence("Đảng viên nghỉ ốm đau hoặc thai sản từ sáu tháng trở lên trong năm thì chi bộ xem xét, "
                          "không xếp loại chất lượng [1].", [grading]).supported


def test_quarter_and_term_labels_must_be_the_passages() -> None:
    assert ordinal_labels("quý II năm 2026, Đại hội khóa XIII, đợt 2") == {("quy", 2), ("khoa", 13), ("dot", 2)}
    plan = Passage(1, "Trong quý II năm 2026, sơ kết việc triển khai; hoàn thành cấp tài khoản cho 100% đảng viên "
                      "trước ngày 30/6/2026.", "phần III Kế hoạch 168-KH/VPTW")
    assert NUMBER in check_sentence("Trong quý III năm 2026 sẽ sơ kết việc triển khai [1].", [plan]).problems
    assert check_sentence("Việc sơ kết triển khai được thực hiện trong quý 2 năm 2026 [1].", [plan]).supported


def test_a_full_citation_does_not_hide_the_words_after_it() -> None:
    printed = Passage(1, "Đối với đảng viên thuộc trường hợp quy định tại khoản 4 Điều 5 Quy định số 339-QĐ/TW, chi bộ "
                         "tiếp tục cung cấp tài liệu sinh hoạt bằng bản in.", "Điều 2 Quyết định 09-QĐ/ĐU")
    flipped = check_sentence("Với đảng viên thuộc trường hợp tại khoản 4 Điều 5 Quy định 339-QĐ/TW, chi bộ không "
                             "cung cấp tài liệu bằng bản in nữa [1].", [printed])
    assert POLARITY in flipped.problems


def test_a_proposal_is_not_a_decision() -> None:
    minutes = Passage(1, "Đồng chí Trần Thị Hoa đề nghị chi bộ tổ chức lớp hướng dẫn cài đặt ứng dụng cho đảng viên "
                         "cao tuổi vào tháng 01/2026.", "mục 3 phần II Biên bản 05-BB/CB")
    decided = check_sentence("Chi bộ đã quyết định tổ chức lớp hướng dẫn cài đặt ứng dụng cho đảng viên cao tuổi [1].",
                             [minutes])
    assert POLARITY in decided.problems
    assert check_sentence("Đồng chí Trần Thị Hoa kiến nghị chi bộ mở lớp hướng dẫn cài đặt ứng dụng cho đảng viên cao "
                          "tuổi [1].", [minutes]).supported


def test_words_of_a_passage_not_cited_are_not_supported() -> None:
    first = Passage(1, "1. Biên bản sinh hoạt chi bộ được lưu trữ tại chi bộ trong thời hạn 05 năm.", "mục 1 Hướng dẫn X")
    second = Passage(2, "2. Sổ ghi nghị quyết được bàn giao cho cấp ủy cơ sở khi hết nhiệm kỳ.", "mục 2 Hướng dẫn X")
    mixed = check_sentence("Sổ ghi nghị quyết được lưu trữ tại chi bộ khi hết nhiệm kỳ [2].", [first, second])
    assert CONTENT in mixed.problems
    assert check_sentence("Sổ ghi nghị quyết được lưu trữ tại chi bộ [1] và bàn giao cho cấp ủy cơ sở khi hết nhiệm kỳ "
                          "[2].", [first, second]).problems != [CONTENT]


def test_all_over_a_noun_the_passage_narrows() -> None:
    leaders = Passage(1, "3. Đảng viên giữ chức vụ lãnh đạo, quản lý được đánh giá gắn với kết quả hoạt động của cơ "
                         "quan, đơn vị do mình phụ trách.", "khoản 3 Điều 2 Quy định 366-QĐ/TW")
    widened = check_sentence("Mọi đảng viên đều được đánh giá gắn với kết quả hoạt động của đơn vị do mình phụ trách [1].",
                             [leaders])
    assert POLARITY in widened.problems
    duty = Passage(1, "1. Đảng viên có trách nhiệm cài đặt Ứng dụng và kích hoạt tài khoản.", "khoản 1 Điều 5 Quy định "
                      "339-QĐ/TW")
    assert check_sentence("Mọi đảng viên đều có trách nhiệm cài đặt Ứng dụng và kích hoạt tài khoản [1].",
                          [duty]).supported


def test_local_bodies_are_bodies() -> None:
    report = Passage(1, "Chi bộ lãnh đạo Ban nhân dân ấp vận động 12 hộ hiến đất làm đường.", "mục 2 phần I Báo cáo "
                        "12-BC/CB")
    assert BODY in check_sentence("Tổ hòa giải ấp vận động 12 hộ hiến đất làm đường [1].", [report]).problems
    assert BODY in check_sentence("Chi bộ lãnh đạo Ban nhân dân ấp vận động 12 hộ hiến đất làm đường và báo cáo cơ quan "
                                  "địa chính [1].", [report]).problems


def test_a_report_speaks_for_the_body_that_issued_it() -> None:
    report = Passage(1, "Đề nghị Đảng ủy xã hỗ trợ kinh phí sửa chữa cầu kênh Ba Ngàn.", "phần IV Báo cáo 12-BC/CB")
    assert check_sentence("Chi bộ kiến nghị Đảng ủy xã hỗ trợ kinh phí sửa chữa cầu kênh Ba Ngàn [1].",
                          [report]).supported
    plan = Passage(1, "Đề nghị các chi bộ hỗ trợ kinh phí sửa chữa cầu.", "mục 2 Kế hoạch 168-KH/VPTW")
    assert BODY in check_sentence("Ban Tổ chức Trung ương đề nghị các chi bộ hỗ trợ kinh phí sửa chữa cầu [1].",
                                  [plan]).problems


def test_an_option_given_in_another_clause_of_the_passage() -> None:
    self_review = Passage(1, "1. Đảng viên làm bản tự kiểm điểm theo mẫu, gửi chi ủy qua ứng dụng hoặc bằng bản giấy.",
                          "khoản 1 Điều 7 Quy định 366-QĐ/TW")
    assert check_sentence("Đảng viên có thể gửi bản tự kiểm điểm cho chi ủy qua ứng dụng hoặc bằng bản giấy [1].",
                          [self_review]).supported


def test_a_negation_in_a_first_sentence_does_not_govern_the_next_line() -> None:
    procedure = Passage(1, "3. Trong thời hạn 03 ngày làm việc, cơ quan tiếp nhận kiểm tra hồ sơ; hồ sơ chưa đầy đủ thì "
                           "yêu cầu bổ sung.\nTrong thời hạn 30 ngày, Bộ trưởng quyết định cấp phép.",
                        "khoản 3 Điều 16 Luật Chăn nuôi")
    assert check_sentence("Bộ trưởng quyết định cấp phép trong thời hạn ba mươi ngày [1].", [procedure]).supported


# -- round 5 -------------------------------------------------------------------------------------------------------
TRANSFER = Passage(1, "3. Khi đảng viên chuyển sinh hoạt đảng, chi bộ nơi đảng viên chuyển đi cập nhật thông tin chuyển "
                      "sinh hoạt trên Ứng dụng trong thời hạn 05 ngày làm việc.", "khoản 3 Điều 5 Quy định 339-QĐ/TW")


def test_the_place_left_is_not_the_place_reached() -> None:
    assert POLARITY in check_sentence("Chi bộ nơi đảng viên chuyển đến cập nhật thông tin chuyển sinh hoạt trên Ứng "
                                      "dụng trong 05 ngày làm việc [1].", [TRANSFER]).problems
    assert check_sentence("Chi bộ nơi đảng viên chuyển đi cập nhật thông tin chuyển sinh hoạt trên Ứng dụng trong vòng "
                          "05 ngày làm việc [1].", [TRANSFER]).supported


ONLINE = Passage(1, "c) Sinh hoạt chi bộ theo hình thức trực tuyến chỉ được thực hiện trong trường hợp thiên tai, dịch "
                    "bệnh.", "điểm c mục 4 Chỉ thị 50-CT/TW")


def test_only_allowed_is_not_allowed() -> None:
    assert POLARITY in check_sentence("Sinh hoạt chi bộ theo hình thức trực tuyến được thực hiện trong trường hợp thiên "
                                      "tai, dịch bệnh [1].", [ONLINE]).problems
    assert check_sentence("Chi bộ chỉ được sinh hoạt theo hình thức trực tuyến trong trường hợp thiên tai, dịch bệnh "
                          "[1].", [ONLINE]).supported


def test_considering_is_not_deciding() -> None:
    contract = Passage(1, "2. Trước khi hết hạn hợp đồng 60 ngày, người đứng đầu đơn vị quyết định ký kết tiếp hoặc "
                          "chấm dứt hợp đồng làm việc.", "khoản 2 Điều 28 Luật Viên chức")
    assert POLARITY in check_sentence("Trước khi hết hạn hợp đồng 60 ngày, người đứng đầu đơn vị có thể xem xét ký kết "
                                      "tiếp hoặc chấm dứt hợp đồng làm việc [1].", [contract]).problems


def test_a_voluntary_kind_named_in_the_passage_is_not_an_option() -> None:
    after = Passage(1, "1. Người đã hoàn thành cai nghiện ma túy tự nguyện, người đã chấp hành xong quyết định đưa vào "
                       "cơ sở cai nghiện bắt buộc chịu sự quản lý sau cai nghiện trong thời hạn 01 năm.",
                    "khoản 1 Điều 40 Luật Phòng, chống ma túy")
    assert check_sentence("Người đã hoàn thành cai nghiện tự nguyện chịu sự quản lý sau cai nghiện trong thời hạn 1 năm "
                          "[1].", [after]).supported


def test_points_of_a_numbered_item() -> None:
    meetings = Passage(1, "a) Chi bộ sinh hoạt thường kỳ mỗi tháng một lần;", "điểm a mục 3 Chỉ thị 50-CT/TW")
    assert check_sentence("Theo điểm a mục 3 Chỉ thị 50-CT/TW, chi bộ sinh hoạt thường kỳ mỗi tháng một lần [1].",
                          [meetings]).supported  # "mục 3" is no figure
    assert UNIT in check_sentence("Theo điểm b mục 3 Chỉ thị 50-CT/TW, chi bộ sinh hoạt thường kỳ mỗi tháng một lần "
                                  "[1].", [meetings]).problems


def test_a_cell_committee_speaks_of_its_cell() -> None:
    admins = Passage(1, "2.1. Chi ủy phân công 01 quản trị viên và 01 quản trị viên dự phòng.", "mục 2.1 phần II "
                        "Hướng dẫn 08-HD/ĐU")
    assert check_sentence("Mỗi chi bộ có 1 quản trị viên và 1 quản trị viên dự phòng do chi ủy phân công [1].",
                          [admins]).supported


@pytest.mark.parametrize(("sentence", "supported"), [
    ("Hoàn thành chuyển đổi số ở tất cả các cấp và 100% cán bộ được cấp chữ ký số [1].", False),
    ("Người chuyển đến chỗ ở mới phải đăng ký thường trú trong 12 tháng, nếu quá hạn sẽ bị xóa tên ở nơi cũ [1].", False),
    ("Người chuyển đến chỗ ở mới phải đăng ký thường trú trong 12 tháng, nếu ốm đau thì phải báo trước [1].", True),
])
def test_tails_a_model_adds(sentence: str, supported: bool) -> None:
    source = Passage(1, "Hoàn thành chuyển đổi số ở tất cả các cấp. Người chuyển đến chỗ ở mới phải đăng ký thường trú "
                        "trong thời hạn 12 tháng; trường hợp ốm đau thì phải báo trước.", "mục 2 Kế hoạch X")
    assert check_sentence(sentence, [source]).supported is supported


def test_all_and_half_restate_100_and_50_percent() -> None:
    budget = Passage(1, "2. Ngân sách nhà nước bảo đảm 100% chi phí phổ biến phim ở vùng cao; bảo đảm tối thiểu 50% chi "
                        "phí ở vùng nông thôn.", "khoản 2 Điều 23 Luật Điện ảnh")
    assert check_sentence("Ngân sách nhà nước chi trả toàn bộ chi phí phổ biến phim ở vùng cao và ít nhất một nửa chi phí "
                          "ở vùng nông thôn [1].", [budget]).supported
