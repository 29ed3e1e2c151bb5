"""What the writer's real leads showed the verifier missing: accent-stripped copies, echoed questions, bare headings,
a document made to say what the passage says of itself, a passage's cut-off tail (evals/verifier_leads.jsonl)."""

from __future__ import annotations

from assistant.study.generative import _excerpt, verify_lead
from assistant.text.garbled import asked_back, ends_at_cut, only_a_heading, stripped_copies
from assistant.text.support import DOCUMENT, EMPTY, FRAGMENT, GARBLED, Passage, check_sentence

TRANSFER = Passage(1, "3. Khi đảng viên chuyển sinh hoạt đảng, tài khoản được giữ nguyên; chi bộ nơi đảng viên chuyển "
                      "đi cập nhật thông tin trên Ứng dụng Sổ tay đảng viên trong thời hạn 05 ngày làm việc.",
                   "khoản 3 Điều 5 Quy định 339-QĐ/TW")


def test_words_copied_without_their_marks() -> None:
    # "tay" is the passage's own spelling ("Sổ tay"); "so" and "dang" are "Sổ" and "đảng" without their marks
    assert stripped_copies("Đảng viên cập nhật thông tin trên ứng dụng so tay dang viên", [TRANSFER.text]) \
        == ["so", "dang"]
    # from the question: words the passage does not have at all, around one it writes with marks
    assert stripped_copies("Đảng viên phải cài đặt ứng dụng so tay dang viên", ["Khi đảng viên chuyển sinh hoạt"]) \
        == ["so", "tay", "dang"]
    assert stripped_copies("Tieu chí thứ hai là …", ["Các tiêu chí đánh giá"]) == ["Tieu"]  # no such spelling
    # everyday words with no marks are words of their own, and an accent-free sentence is judged elsewhere
    assert stripped_copies("Khi ban hành Nghị quyết, chi bộ có 28 đảng viên", ["bàn bạc, bản in"]) == []
    assert stripped_copies("dang vien cap nhat thong tin", [TRANSFER.text]) == []
    result = check_sentence("Chi bộ nơi đảng viên chuyển đi cap nhat thong tin trên Ứng dụng trong 05 ngày làm việc "
                            "[1].", [TRANSFER])
    assert GARBLED in result.problems


def test_the_question_asked_back_and_a_bare_heading() -> None:
    assert asked_back("Biên bản phải đưa lên ứng dụng trong bao lau", [TRANSFER.text]) == "bao lau"
    assert asked_back("Quốc hội kéo dài nhiệm kỳ tối đa bao lâu là mười hai tháng", ["… không được quá mười hai "
                                                                                    "tháng"]) == "bao lâu"
    assert asked_back("Đảng viên cập nhật trong 05 ngày làm việc", [TRANSFER.text]) is None
    scope = Passage(1, "Điều 2. Đối tượng áp dụng\nLuật này áp dụng đối với cơ quan, tổ chức, cá nhân tham gia giao "
                       "dịch điện tử.", "Điều 2 Luật Giao dịch điện tử")
    assert only_a_heading("Đối tượng áp dụng.", [scope.text])
    assert EMPTY in check_sentence("Đối tượng áp dụng [1].", [scope]).problems
    assert EMPTY in check_sentence("Chi bộ cập nhật thông tin trong bao nhiêu ngày làm việc [1].", [TRANSFER]).problems
    assert check_sentence("Luật này áp dụng đối với cơ quan, tổ chức, cá nhân tham gia giao dịch điện tử [1].",
                          [scope]).supported


def test_a_document_made_to_say_what_the_passage_says_of_itself() -> None:
    amending = Passage(1, "Điều 2. Hiệu lực thi hành\n1. Quy định này có hiệu lực thi hành kể từ ngày 01 tháng 01 năm "
                          "2026.\n2. Các nội dung khác của Quy định số 338-QĐ/TW giữ nguyên hiệu lực.",
                       "Điều 2 Quy định 372-QĐ/TW")
    assert DOCUMENT in check_sentence("Quy định 338-QĐ/TW có hiệu lực thi hành kể từ ngày 01 tháng 01 năm 2026 [1].",
                                      [amending]).problems
    assert check_sentence("Quy định 372-QĐ/TW có hiệu lực thi hành kể từ ngày 01 tháng 01 năm 2026 [1].",
                          [amending]).supported
    assert check_sentence("Các nội dung khác của Quy định 338-QĐ/TW vẫn giữ nguyên hiệu lực [1].", [amending]).supported
    replacing = Passage(1, "1. Quy định này có hiệu lực kể từ ngày ký và thay thế Quy định số 124-QĐ/TW, ngày "
                           "04/10/2023 của Bộ Chính trị.", "khoản 1 Điều 10 Quy định 366-QĐ/TW")
    assert DOCUMENT in check_sentence("Quy định số 124-QĐ/TW đã thay thế Quy định số 124-QĐ/TW, ngày 04/10/2023 của "
                                      "Bộ Chính trị [1].", [replacing]).problems


def test_a_lead_copying_the_cut_off_tail_of_its_passage() -> None:
    shown = Passage(1, "1.3. Thể chế là điều kiện tiên quyết, cần hoàn thiện và đi trước một", "mục 1 Nghị quyết X")
    assert ends_at_cut("Thể chế là điều kiện tiên quyết, cần hoàn thiện và đi trước một [1].", shown.text)
    assert not ends_at_cut("Thể chế là điều kiện tiên quyết [1].", shown.text)
    lead = verify_lead("Thể chế là điều kiện tiên quyết, cần hoàn thiện và đi trước một", [shown], allow_verdicts=False)
    assert lead.text == "" and FRAGMENT in lead.checks[0].problems


def test_the_excerpt_shown_to_the_writer_ends_on_a_whole_sentence() -> None:
    from assistant.records import Chunk, DocumentMeta, Hit
    from assistant.study.answer import Source

    text = "1.1. Phát triển khoa học là đột phá quan trọng hàng đầu. " * 9 + "1.3. Thể chế là điều kiện tiên quyết, cần"
    meta = DocumentMeta("nq-57", title="Nghị quyết", number="57-NQ/TW", doc_type="nghị quyết", type_code="NQ")
    hit = Hit.from_chunk(Chunk("c-1", "nq-57", text, 0, len(text)), meta, 1.0)
    shown = _excerpt(Source(1, hit))
    assert shown.endswith(".") and len(shown) <= 420


def test_a_list_announced_and_not_given_and_a_bare_label() -> None:
    grades = Passage(1, "1. Hoàn thành xuất sắc nhiệm vụ: đạt từ 90 điểm trở lên và đáp ứng đồng thời các điều kiện "
                        "sau:\na) Có ít nhất 01 sản phẩm nổi bật;", "khoản 1 Điều 6 Quy định 366-QĐ/TW")
    assert EMPTY in check_sentence("Muốn hoàn thành xuất sắc nhiệm vụ, cần đạt 90 điểm và đáp ứng các điều kiện sau: "
                                   "[1].", [grades]).problems
    target = Passage(1, "2.2. Đến ngày 30/6/2026, 100% đảng viên được cấp tài khoản.", "mục 2.2 Nghị quyết 15-NQ/ĐU")
    assert EMPTY in check_sentence("Trong đoạn [1], mục 2.2 Nghị quyết 15-NQ/ĐU: 2.2.", [target]).problems


def test_figures_of_a_range_find_the_clause_that_holds_them_all() -> None:
    probation = Passage(1, "1. Người trúng tuyển viên chức phải thực hiện chế độ tập sự, trừ trường hợp đã có thời gian "
                           "từ đủ 12 tháng trở lên thực hiện chuyên môn phù hợp.\n2. Thời gian tập sự từ 03 tháng đến "
                           "12 tháng.", "Điều 27 Luật Viên chức")
    assert check_sentence("Viên chức mới trúng tuyển thì phải tập sự trong 03 tháng đến 12 tháng [1].",
                           [probation]).supported
    assert "number" in check_sentence("Viên chức mới trúng tuyển thì phải tập sự trong 06 tháng đến 12 tháng [1].",
                                      [probation]).problems


def test_ages_said_of_one_subject_and_a_negated_excess() -> None:
    ages = Passage(1, "Công dân đủ mười tám tuổi trở lên có quyền bầu cử và đủ hai mươi mốt tuổi trở lên có quyền ứng "
                      "cử vào Hội đồng nhân dân.", "Điều 27 Hiến pháp")
    assert check_sentence("Công dân đủ hai mươi mốt tuổi trở lên có quyền ứng cử đại biểu Hội đồng nhân dân [1].",
                          [ages]).supported
    rate = Passage(1, "1. Lãi suất theo thỏa thuận không được vượt quá 20%/năm của khoản tiền vay.", "khoản 1 Điều 468 "
                      "Bộ luật Dân sự")
    assert check_sentence("Lãi suất vay do các bên thỏa thuận tối đa 20%/năm của khoản tiền vay [1].", [rate]).supported
    assert "number" in check_sentence("Lãi suất vay do các bên thỏa thuận ít nhất 20%/năm của khoản tiền vay [1].",
                                      [rate]).problems


def test_words_pasted_bare_from_an_accent_free_question() -> None:
    from assistant.text.garbled import copied_from_question

    update = Passage(1, "1. Đảng viên khi có thay đổi phải cập nhật chậm nhất 10 ngày làm việc kể từ ngày có thay đổi.",
                     "khoản 1 Điều 6 Quy định 339-QĐ/TW")
    question = "doi so dien thoai, doi cho o thi phai cap nhat len so tay dang vien cham nhat bao nhieu ngay?"
    assert copied_from_question("Đối với o thi, cần cập nhật trong 10 ngày làm việc [1].", question,
                                [update.text]) == ["o", "thi"]
    lead = verify_lead("Đối với o thi, đảng viên phải cập nhật chậm nhất 10 ngày làm việc kể từ ngày có thay đổi.",
                       [update], allow_verdicts=False, question=question)
    assert lead.text == "" and GARBLED in lead.checks[0].problems
    fine = verify_lead("Đảng viên phải cập nhật chậm nhất 10 ngày làm việc kể từ ngày có thay đổi.", [update],
                       allow_verdicts=False, question=question)
    assert fine.text


def test_a_lead_cut_off_at_the_token_limit_loses_its_last_piece() -> None:
    grades = Passage(1, "c) Số đảng viên được xếp loại hoàn thành xuất sắc nhiệm vụ không vượt quá 20% số đảng viên được "
                        "xếp loại hoàn thành tốt nhiệm vụ trở lên của chi bộ.", "điểm c khoản 1 Điều 6 Quy định 366-QĐ/TW")
    cut = verify_lead("Số đảng viên được xếp loại hoàn thành xuất sắc nhiệm vụ không vượt quá 20% số đảng viên được xếp "
                      "loại hoàn thành tốt nhiệm", [grades], allow_verdicts=False)
    assert cut.text == "" and FRAGMENT in cut.checks[-1].problems
    whole = verify_lead("Số đảng viên được xếp loại hoàn thành xuất sắc nhiệm vụ không vượt quá 20% số đảng viên được "
                        "xếp loại hoàn thành tốt nhiệm vụ trở lên của chi bộ.", [grades], allow_verdicts=False)
    assert whole.text


def test_one_word_pasted_bare_where_the_passage_has_its_marks() -> None:
    from assistant.text.garbled import copied_from_question

    budget = "1. Nhà nước bảo đảm ngân sách nhà nước chi cho giáo dục tối thiểu là 20% tổng chi ngân sách nhà nước."
    question = "luat giao duc quy dinh ngan sach nha nuoc chi cho giao duc toi thieu bao nhieu phan tram"
    assert copied_from_question("Luật quy định ngan sách nhà nước chi cho giáo dục tối thiểu là 20% [1].", question,
                                [budget]) == ["ngan"]
    assert copied_from_question("Luật quy định ngân sách nhà nước chi cho giáo dục tối thiểu là 20% [1].", question,
                                [budget]) == []


def test_the_members_question_copied_as_the_answer_is_not_an_answer() -> None:
    from assistant.text.garbled import restates_question

    passage = ["4. Đồng chí Nguyễn Thị Hạnh phối hợp Ban nhân dân ấp vận động bà con xuống giống lúa Đông Xuân, hoàn "
               "thành trước ngày 20/12/2025."]
    question = "Chú nghe nói chị Hạnh được giao việc vận động bà con xuống giống lúa, vậy hạn phải xong là ngày nào vậy?"
    copied = "Chú nghe nói chị Hạnh được giao việc vận động bà con xuống giống lúa, vậy hạn phải xong là ngày 20/12/2025 [1]."
    assert {"chu", "nghe", "noi"} <= set(restates_question(copied, question, passage))
    # Restating the topic in the document's terms is an answer; so are "tối thiểu" and "chủ nuôi" (not "tôi", "chú").
    assert restates_question("Đồng chí Hạnh vận động bà con xuống giống lúa, hoàn thành trước ngày 20/12/2025 [1].",
                             question, passage) == []
    assert restates_question("Một buổi sinh hoạt chi bộ thường kỳ phải kéo dài tối thiểu 90 phút [1].",
                             "Một buổi sinh hoạt chi bộ thường kỳ phải kéo dài tối thiểu bao lâu?",
                             ["Mỗi buổi sinh hoạt chi bộ thường kỳ kéo dài tối thiểu 90 phút."]) == []
