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


# -- round 6 -------------------------------------------------------------------------------------------------------
def test_rates_grades_and_list_numbers_are_not_figures() -> None:
    assert [(q.value, q.unit) for q in quantities("đạt tỷ lệ 89,3%")] == [(89.3, "%")]
    assert [q.value for q in quantities("học sinh vào lớp mười ở tuổi 15")] == [15.0]
    assert quantities("1. Về tư tưởng chính trị;\n2. Về ý thức tổ chức kỷ luật.") == []
    assert [(q.value, q.unit) for q in quantities("mỗi năm hai lần")] == [(2.0, "lan")]


def test_a_count_of_items_must_be_the_lists() -> None:
    contents = Passage(1, "Điều 4. Nội dung kiểm điểm\n1. Về tư tưởng chính trị.\n2. Về ý thức tổ chức kỷ luật.\n"
                          "3. Về kết quả thực hiện nhiệm vụ.", "Điều 4 Quy định 366-QĐ/TW")
    assert NUMBER in check_sentence("Quy định nêu bốn nội dung kiểm điểm đảng viên [1].", [contents]).problems
    once = Passage(1, "1. Việc kiểm điểm được tiến hành mỗi năm một lần vào dịp cuối năm.", "khoản 1 Điều 3 Quy định "
                      "366-QĐ/TW")
    assert NUMBER in check_sentence("Việc kiểm điểm được tiến hành mỗi năm hai lần [1].", [once]).problems


def test_a_count_the_sentence_spells_out() -> None:
    forces = Passage(1, "1. Lực lượng chuyên trách bảo vệ an ninh mạng được bố trí tại Bộ Công an, Bộ Quốc phòng.",
                     "khoản 1 Điều 30 Luật An ninh mạng")
    assert check_sentence("Lực lượng chuyên trách bảo vệ an ninh mạng được bố trí tại hai bộ là Bộ Công an và Bộ Quốc "
                          "phòng [1].", [forces]).supported


def test_each_actor_may_come_from_its_own_passage() -> None:
    district = Passage(1, "a) Ủy ban nhân dân cấp huyện báo cáo Hội đồng nhân dân cùng cấp trước ngày 31 tháng 01;",
                       "điểm a khoản 1 Điều 118 Luật Bảo vệ môi trường")
    province = Passage(2, "c) Ủy ban nhân dân cấp tỉnh báo cáo Bộ Tài nguyên và Môi trường trước ngày 15 tháng 02;",
                       "điểm c khoản 1 Điều 118 Luật Bảo vệ môi trường")
    assert check_sentence("Ủy ban nhân dân cấp huyện báo cáo Hội đồng nhân dân cùng cấp trước ngày 31/01 [1], còn Ủy ban "
                          "nhân dân cấp tỉnh báo cáo Bộ Tài nguyên và Môi trường trước ngày 15/02 [2].",
                          [district, province]).supported


ROADMAP = Passage(1, "Tổng hợp lộ trình:\n| Giai đoạn | Thời gian | Cơ quan chủ trì |\n|---|---|---|\n"
                     "| Tập huấn toàn quốc | 29/10/2025 | Văn phòng Trung ương Đảng |\n"
                     "| Triển khai toàn quốc | 01/11/2025 – 31/3/2026 | Văn phòng các tỉnh ủy, thành ủy |",
                  "phần II Kế hoạch 168-KH/VPTW")


def test_who_leads_a_row_of_a_table() -> None:
    assert check_sentence("Giai đoạn triển khai toàn quốc từ 01/11/2025 đến 31/3/2026 do văn phòng các tỉnh ủy, thành "
                          "ủy chủ trì [1].", [ROADMAP]).supported
    assert BODY in check_sentence("Giai đoạn triển khai toàn quốc từ 01/11/2025 đến 31/3/2026 do Văn phòng Trung ương "
                                  "Đảng chủ trì [1].", [ROADMAP]).problems


def test_fractions_and_percentages() -> None:
    cap = Passage(1, "Số đảng viên được xếp loại hoàn thành xuất sắc nhiệm vụ không vượt quá 20% số đảng viên được xếp "
                     "loại hoàn thành tốt nhiệm vụ trở lên.", "Điều 4 Quy định 124-QĐ/TW")
    assert check_sentence("Số đảng viên hoàn thành xuất sắc nhiệm vụ tối đa bằng một phần năm số đảng viên hoàn thành tốt "
                          "nhiệm vụ trở lên [1].", [cap]).supported
    board = Passage(1, "Hội đồng phải có ít nhất một phần ba tổng số thành viên là nhà giáo.", "khoản 2 Điều 31 Luật "
                       "Giáo dục")
    assert NUMBER in check_sentence("Hội đồng phải có ít nhất một nửa tổng số thành viên là nhà giáo [1].",
                                    [board]).problems


def test_once_a_year_and_only() -> None:
    limit = Passage(1, "c) Số lần thanh tra về bảo vệ môi trường không quá một lần trong một năm đối với một tổ chức;",
                    "điểm c khoản 2 Điều 160 Luật Bảo vệ môi trường")
    assert check_sentence("Mỗi tổ chức chỉ bị thanh tra về bảo vệ môi trường tối đa một lần mỗi năm [1].",
                          [limit]).supported


def test_some_places_are_not_all_places() -> None:
    directive = Passage(1, "Ở không ít nơi, sinh hoạt chi bộ còn hình thức, nội dung chung chung.", "phần mở đầu Chỉ "
                           "thị 50-CT/TW")
    assert POLARITY in check_sentence("Sinh hoạt chi bộ ở tất cả các nơi đều còn hình thức, nội dung chung chung [1].",
                                      [directive]).problems


def test_advice_for_a_listed_prohibition() -> None:
    banned = Passage(1, "4. Phân biệt đối xử với khách du lịch; nài ép khách du lịch mua hàng hóa, dịch vụ.",
                     "khoản 4 Điều 9 Luật Du lịch")
    assert POLARITY in check_sentence("Luật khuyến cáo hạn chế nài ép khách du lịch mua hàng hóa, dịch vụ [1].",
                                      [banned]).problems


def test_a_law_number_of_another_legislature() -> None:
    repeal = Passage(1, "2. Luật Du lịch số 44/2005/QH11 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.",
                     "khoản 2 Điều 77 Luật Du lịch")
    assert "document" in check_sentence("Luật Du lịch số 44/2005/QH12 hết hiệu lực [1].", [repeal]).problems
    assert check_sentence("Luật Du lịch số 44/2005/QH11 hết hiệu lực khi Luật này có hiệu lực thi hành [1].",
                          [repeal]).supported


def test_a_point_of_a_numbered_item_must_hold_the_words() -> None:
    item = Passage(1, "2. Đẩy mạnh chuyển đổi số trong công tác đảng:\na) Triển khai ứng dụng Sổ tay đảng viên điện tử "
                      "đến tất cả chi bộ;\nb) Số hóa hồ sơ đảng viên của Đảng bộ, hoàn thành trước ngày 31/12/2026;\n"
                      "c) Tiếp nhận, giải quyết trực tuyến các thủ tục hành chính trong Đảng.",
                   "mục 2 phần III Nghị quyết 15-NQ/ĐU")
    assert UNIT in check_sentence("Theo điểm c mục 2 phần III Nghị quyết 15-NQ/ĐU, việc số hóa hồ sơ đảng viên của Đảng "
                                  "bộ hoàn thành trước ngày 31/12/2026 [1].", [item]).problems
    assert check_sentence("Theo điểm b mục 2 phần III Nghị quyết 15-NQ/ĐU, việc số hóa hồ sơ đảng viên của Đảng bộ phải "
                          "hoàn thành trước ngày 31/12/2026 [1].", [item]).supported


def test_song_is_not_a_conjunction_and_does_not_crash() -> None:
    """Folded "sống" read as the conjunction "song" cut a passage where its verb started, and the actor check
    crashed (StopIteration) — found when a held-out set was first scored."""
    from assistant.text.actors import wrong_actors
    from assistant.text.named import BODIES

    assert wrong_actors("Công dân sống tại xã [1].", ["Công dân sống tại địa phương."], BODIES) == []
    home = Passage(1, "1. Công dân sống tại địa phương phải đăng ký thường trú.", "khoản 1 Điều 20 Luật Cư trú")
    assert check_sentence("Công dân sống tại địa phương phải đăng ký thường trú [1].", [home]).supported
