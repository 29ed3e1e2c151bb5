"""The verifier's rules for figures, foreign words, invented phrases, categories and named documents.

Each rule is shown catching a wrong sentence and keeping correct rewordings of the same passage, so a rule
that refuses honest paraphrases shows up here before it shows up in the benchmark.
"""

from __future__ import annotations

import pytest

from assistant.text.quantities import bounds, ratio_rivals, side_conflicts, time_sides
from assistant.text.support import (
    BODY,
    CONTENT,
    DOCUMENT,
    FOREIGN,
    NUMBER,
    POLARITY,
    Passage,
    check_restatement,
    check_sentence,
)
from assistant.text.syllables import foreign_words, is_syllable

ATTENDANCE = Passage(1, "5. Tình hình đảng viên dự sinh hoạt: tổng số đảng viên của chi bộ là 28 đồng chí (chính "
                        "thức 25, dự bị 03); được miễn sinh hoạt 02 đồng chí; số đảng viên phải dự sinh hoạt 26 đồng "
                        "chí; có mặt 23 đồng chí; vắng mặt 03 đồng chí (có lý do 02, không có lý do 01).",
                     "mục 5 phần I Biên bản 05-BB/CB")
USAGE = Passage(1, "1. Đến ngày 31/12/2025, toàn Đảng bộ có 32/34 chi bộ sử dụng ứng dụng trong sinh hoạt thường kỳ; "
                   "846/912 đảng viên đã kích hoạt tài khoản, đạt 92,8%.", "mục 1 Thông báo 27-TB/ĐU")
PASSWORD = Passage(1, "c) Đổi mật khẩu ngay trong lần đăng nhập đầu tiên; mật khẩu có ít nhất 08 ký tự, gồm cả chữ "
                      "và số;", "điểm c mục 1.1 phần II Hướng dẫn 08-HD/ĐU")
STORE = Passage(1, "a) Tải ứng dụng Sổ tay đảng viên từ kho ứng dụng chính thức (App Store hoặc Google Play); không "
                   "cài đặt từ đường dẫn lạ; quét mã QR do Ủy ban nhân dân xã cung cấp.", "điểm a mục 1.1 phần II "
                   "Hướng dẫn 08-HD/ĐU")
NOTICE = Passage(1, "2. Thông báo triệu tập sinh hoạt chi bộ được đăng trên Ứng dụng chậm nhất 03 ngày trước ngày "
                    "sinh hoạt; tài liệu sinh hoạt được đăng chậm nhất 01 ngày trước ngày sinh hoạt.",
                 "khoản 2 Điều 9 Quy định 339-QĐ/TW")
DURATION = Passage(1, "b) Thời gian mỗi kỳ sinh hoạt thường kỳ không ít hơn 90 phút; trường hợp kết hợp sinh hoạt "
                      "chuyên đề thì không ít hơn 120 phút;", "điểm b mục 3 Chỉ thị 50-CT/TW")
NEW_MEMBER = Passage(1, "3. Đảng viên mới được kết nạp dưới 06 tháng tính đến thời điểm kiểm điểm thì chỉ làm bản tự "
                        "kiểm điểm, không chấm điểm.", "khoản 3 Điều 8 Quy định 366-QĐ/TW")
PRINTED = Passage(1, "Điều 2. Kể từ ngày 01/02/2026, tài liệu sinh hoạt của các chi bộ trực thuộc được gửi đến đảng "
                     "viên qua ứng dụng. Đối với đảng viên thuộc trường hợp quy định tại khoản 4 Điều 5 Quy định số "
                     "339-QĐ/TW, chi bộ tiếp tục cung cấp tài liệu sinh hoạt bằng bản in.",
                  "Điều 2 Quyết định 09-QĐ/ĐU")
VOTE = Passage(1, "1. Biểu quyết thông qua Nghị quyết sinh hoạt chi bộ tháng 12 năm 2025 bằng hình thức giơ tay: "
                  "23/23 đồng chí có mặt tán thành (đạt 100%).", "mục 1 phần IV Biên bản 05-BB/CB")
STRIKE = Passage(1, "2. Đảng viên 02 năm liên tiếp xếp loại không hoàn thành nhiệm vụ thì chi bộ xem xét, đề nghị cấp "
                    "có thẩm quyền xóa tên khỏi danh sách đảng viên theo quy định của Điều lệ Đảng.",
                 "khoản 2 Điều 9 Quy định 366-QĐ/TW")
ACCOUNT = Passage(1, "1. Đảng viên có trách nhiệm cài đặt Ứng dụng và kích hoạt tài khoản trong thời hạn 30 ngày kể "
                     "từ ngày được chi bộ thông báo cấp tài khoản.", "khoản 1 Điều 5 Quy định 339-QĐ/TW")
DEADLINE = Passage(1, "3. Hoàn thành việc cấp tài khoản cho 100% đảng viên trong đảng bộ trước ngày 30 tháng 6 năm "
                      "2026.", "khoản 3 Điều 14 Quy định 339-QĐ/TW")


@pytest.mark.parametrize(("sentence", "passage", "problem"), [
    # a neighbouring figure: 26 had to attend, 23 were present
    ("Kỳ sinh hoạt có 26 đồng chí có mặt và 03 đồng chí vắng mặt [1].", ATTENDANCE, NUMBER),
    ("Đến ngày 31/12/2025, toàn Đảng bộ có 34/34 chi bộ sử dụng ứng dụng [1].", USAGE, NUMBER),
    # a bound turned around, a side of a date or span changed
    ("Mỗi kỳ sinh hoạt thường kỳ tối đa 90 phút [1].", DURATION, NUMBER),
    ("Thông báo triệu tập được đăng chậm nhất 03 ngày sau ngày sinh hoạt [1].", NOTICE, NUMBER),
    ("Việc cấp tài khoản cho 100% đảng viên bắt đầu từ ngày 30/6/2026 [1].", DEADLINE, NUMBER),
    # foreign words the passage does not use
    ("Mật khẩu có ít nhất 08 ký tự và phải đổi ngay trong lần login đầu tiên [1].", PASSWORD, FOREIGN),
    ("Mỗi kỳ sinh hoạt thường kỳ minimum 90 phút [1].", DURATION, FOREIGN),
    ("Đảng viên tải ứng dụng từ App Store hoặc Google Play rồi chat với quản trị viên [1].", STORE, FOREIGN),
    # a phrase of the model's own among the passage's words
    ("Khi đổi mật khẩu, đảng viên phải đăng ký lại số điện thoại tại chi bộ [1].", PASSWORD, CONTENT),
    # all, where the passage makes an exception
    ("Từ ngày 01/02/2026, chi bộ ngừng in tài liệu cho tất cả đảng viên [1].", PRINTED, POLARITY),
    # a disciplinary measure or a way of voting the passage does not name
    ("Đảng viên 02 năm liên tiếp không hoàn thành nhiệm vụ thì bị khai trừ [1].", STRIKE, POLARITY),
    ("Nghị quyết được thông qua bằng bỏ phiếu kín với 23/23 đồng chí tán thành [1].", VOTE, POLARITY),
    # a body or a named document the passage does not have
    ("Đảng viên phối hợp với công an xã để kích hoạt tài khoản trong 30 ngày [1].", ACCOUNT, BODY),
    ("Theo Luật An ninh mạng, đảng viên kích hoạt tài khoản trong thời hạn 30 ngày [1].", ACCOUNT, DOCUMENT),
])
def test_wrong_sentences_are_caught(sentence: str, passage: Passage, problem: str) -> None:
    check = check_sentence(sentence, [passage])
    assert problem in check.problems, (check.problems, check.details)


@pytest.mark.parametrize(("sentence", "passage"), [
    ("Kỳ sinh hoạt có 23 đồng chí có mặt và 03 đồng chí vắng mặt [1].", ATTENDANCE),
    ("Chi bộ có 28 đồng chí, trong đó 26 đồng chí phải dự sinh hoạt [1].", ATTENDANCE),
    ("Đến ngày 31/12/2025, 32/34 chi bộ đã dùng ứng dụng trong sinh hoạt thường kỳ [1].", USAGE),
    ("Mỗi kỳ sinh hoạt thường kỳ kéo dài tối thiểu 90 phút [1].", DURATION),
    ("Kỳ sinh hoạt có kết hợp chuyên đề không được dưới 120 phút [1].", DURATION),
    ("Thông báo triệu tập phải lên Ứng dụng ít nhất ba ngày trước ngày sinh hoạt [1].", NOTICE),
    ("Tài liệu sinh hoạt được đăng chậm nhất một ngày trước ngày sinh hoạt [1].", NOTICE),
    ("Đảng viên mới kết nạp chưa đủ 06 tháng thì chỉ làm bản tự kiểm điểm, không chấm điểm [1].", NEW_MEMBER),
    ("Mật khẩu dài tối thiểu 8 ký tự, có cả chữ và số, và phải đổi ngay lần đăng nhập đầu tiên [1].", PASSWORD),
    ("Đảng viên chỉ tải ứng dụng từ App Store hoặc Google Play và quét mã QR do UBND xã cung cấp [1].", STORE),
    ("Đảng viên không được cài đặt ứng dụng từ đường dẫn lạ [1].", STORE),
    ("Từ ngày 01/02/2026, tài liệu sinh hoạt được gửi đến đảng viên qua ứng dụng [1].", PRINTED),
    ("Đảng viên thuộc trường hợp tại khoản 4 Điều 5 vẫn được chi bộ cung cấp tài liệu bằng bản in [1].", PRINTED),
    ("Nghị quyết tháng 12 năm 2025 được thông qua bằng hình thức giơ tay, 23/23 đồng chí tán thành [1].", VOTE),
    ("Đảng viên hai năm liền không hoàn thành nhiệm vụ thì chi bộ xem xét, đề nghị xóa tên theo Điều lệ Đảng [1].",
     STRIKE),
    ("Đảng viên phải kích hoạt tài khoản trong vòng ba mươi ngày kể từ khi chi bộ thông báo [1].", ACCOUNT),
    ("Trước ngày 30/6/2026 phải cấp tài khoản cho toàn bộ đảng viên trong đảng bộ [1].", DEADLINE),
])
def test_correct_rewordings_are_kept(sentence: str, passage: Passage) -> None:
    check = check_sentence(sentence, [passage])
    assert check.supported, (check.problems, check.details)


def test_vietnamese_syllables() -> None:
    for word in ("nghiêng", "quyền", "khuya", "giữ", "Đảng", "thuở", "ngoặt", "hoạt", "xoong"):
        assert is_syllable(word), word
    for word in ("login", "minimum", "Viettel", "online", "email", "Zalo", "file"):
        assert not is_syllable(word), word
    # in accented text a syllable closed by c, ch, p, t carries its tone: "chat" is English there
    assert is_syllable("chat") and not is_syllable("chat", accented=True) and is_syllable("hát", accented=True)


def test_foreign_words_the_source_uses_are_accepted() -> None:
    source = ["Ủy ban nhân dân xã cấp mã QR; máy tính kết nối Internet; phần III; 5 km"]
    assert foreign_words("UBND xã cấp mã QR qua Internet, phần III, cách 5 km", source) == []
    assert foreign_words("Họp online qua Zoom, HTX cấp mã", source) == ["online", "Zoom", "HTX"]


def test_figures_helpers() -> None:
    assert [side for _, side in bounds("từ 80 điểm trở lên; không quá 05 ngày; không được ít hơn 120 phút")] \
        == ["lower", "upper", "lower"]
    assert ratio_rivals("34/34 chi bộ", "32/34 chi bộ") == ["34/34"] and ratio_rivals("32 trên 34", "32/34") == []
    assert ((1.0, 2.0, 2026.0), "from") in time_sides("Kể từ ngày 01/02/2026, tài liệu được gửi")
    assert side_conflicts("hoàn thành từ ngày 15/12/2025", "hoàn thành trước ngày 15/12/2025") == ["15/12/2025 (from)"]


def test_restatement_of_a_known_source() -> None:
    source = "Đảng viên không được cho người khác sử dụng tài khoản của mình."
    assert all(c.supported for c in check_restatement("Đảng viên không được để người khác dùng tài khoản.", source))
    assert not check_restatement("Đảng viên được cho người khác dùng tài khoản.", source)[0].supported


WHO = Passage(1, "2.1. Cuối mỗi kỳ sinh hoạt, chi bộ tự chấm điểm và ghi kết quả vào biên bản.\n2.2. Hằng quý, cấp ủy "
                 "cơ sở đánh giá chất lượng sinh hoạt của các chi bộ trực thuộc. Chủ trì: đồng chí Lâm Văn Tư. "
                 "Học tập Chỉ thị số 50-CT/TW của Ban Bí thư và Quy định số 366-QĐ/TW của Bộ Chính trị.")


@pytest.mark.parametrize("sentence", [
    "Cuối mỗi kỳ sinh hoạt, cấp ủy cơ sở chấm điểm chi bộ [1].",  # another body made the actor
    "Đồng chí Trần Văn Mai chủ trì [1].",  # a name the passage does not give for "Chủ trì:"
    "Đảng viên học tập Chỉ thị số 50-CT/TW của Bộ Chính trị [1].",  # a document given to another issuer
])
def test_who_does_what(sentence: str) -> None:
    assert BODY in check_sentence(sentence, [WHO]).problems


@pytest.mark.parametrize("sentence", [
    "Cuối mỗi kỳ sinh hoạt, chi bộ tự chấm điểm và ghi kết quả vào biên bản [1].",
    "Hằng quý, cấp ủy cơ sở đánh giá chất lượng sinh hoạt của các chi bộ trực thuộc [1].",
    "Buổi sinh hoạt do đồng chí Lâm Văn Tư chủ trì [1].",
])
def test_who_does_what_kept(sentence: str) -> None:
    assert BODY not in check_sentence(sentence, [WHO]).problems


def test_invented_tail_and_modality() -> None:
    adult = Passage(1, "1. Người thành niên là người từ đủ mười tám tuổi trở lên.")
    assert CONTENT in check_sentence("Người thành niên là người từ đủ mười tám tuổi trở lên và đã có việc làm ổn "
                                     "định [1].", [adult]).problems
    assert check_sentence("Người thành niên là người từ đủ mười tám tuổi trở lên [1].", [adult]).supported
    urged = Passage(1, "4. Khuyến khích cơ sở điện ảnh chiếu phim tuyên truyền trước buổi chiếu phim.")
    assert POLARITY in check_sentence("Cơ sở điện ảnh bắt buộc phải chiếu phim tuyên truyền trước buổi chiếu "
                                      "phim [1].", [urged]).problems
    either = Passage(1, "1. Đảng viên gửi bản tự kiểm điểm cho chi ủy qua ứng dụng hoặc bằng bản giấy.")
    assert check_sentence("Đảng viên có thể gửi bản tự kiểm điểm cho chi ủy qua ứng dụng hoặc bằng bản giấy [1].",
                          [either]).supported
