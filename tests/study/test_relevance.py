"""The refusal decision: rules first, then the calibrated model over cheap search features."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.records import Hit
from assistant.retrieval.search import Query
from assistant.study.relevance import (
    FEATURES,
    MODEL_FILE,
    SIGNS,
    RefusalModel,
    answer_probability,
    answers_question,
    load_refusal_model,
    missing_article,
    relevance_features,
    rule_decision,
)
from assistant.study.slots import (
    AGE,
    DATE,
    DURATION,
    HOUR,
    MONEY,
    NUMBER,
    PERCENT,
    POINTS,
    TIMES,
    answer_slot,
    asked_slot,
    contrast,
    counted_noun,
    figures_of,
    holds,
    kind_absent,
    named_kind,
    stated_slot,
    units,
)
from assistant.text.overlap import content_terms


def _search(indexed, question: str, k: int = 5):
    return indexed.searcher.search(Query(question, k=k))


def test_a_missing_article_or_clause_is_named(indexed) -> None:
    _, plan = _search(indexed, "Điều 20 Quy định 901-QĐ/TW quy định gì?")
    assert missing_article(indexed.index, plan) == "Quy định 901-QĐ/TW (bản đã nạp) không có Điều 20."
    _, plan = _search(indexed, "Khoản 5 Điều 2 Quy định 901-QĐ/TW quy định gì?")
    assert missing_article(indexed.index, plan) == "Điều 2 Quy định 901-QĐ/TW (bản đã nạp) không có khoản 5."
    _, plan = _search(indexed, "Khoản 3 Điều 2 Quy định 901-QĐ/TW quy định gì?")
    assert missing_article(indexed.index, plan) == ""


def test_rules_decide_before_the_model(indexed) -> None:
    hits, plan = _search(indexed, "Khoản 3 Điều 2 Quy định 901-QĐ/TW quy định gì?")
    assert rule_decision("Khoản 3 Điều 2 Quy định 901-QĐ/TW quy định gì?", hits, plan) is True
    hits, plan = _search(indexed, "zzqx wvvv")
    assert rule_decision("zzqx wvvv", hits, plan) is False  # no word the index knows
    hits, plan = _search(indexed, "là gì?")
    assert rule_decision("là gì?", hits, plan) is False  # no content word
    assert rule_decision("x", [], plan) is False


def test_features_separate_an_answer_from_a_near_miss(indexed) -> None:
    answered = "Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?"
    near = "Mức phụ cấp hằng tháng cho đảng viên quản trị sổ tay học tập là bao nhiêu tiền lương?"
    good = relevance_features(answered, *_search(indexed, answered))
    bad = relevance_features(near, *_search(indexed, near))
    assert set(good) == set(FEATURES)
    assert good["sentence_coverage"] > bad["sentence_coverage"] and good["idf_coverage"] > bad["idf_coverage"]
    assert good["missing_rare"] < bad["missing_rare"]
    assert bad["number_gap"] == 1.0 or bad["sentence_coverage"] < 0.7  # "bao nhiêu tiền": no such figure
    assert bad["slot_coverage"] == 0.0 < good["slot_coverage"]  # no sentence states an amount of money
    model = load_refusal_model()
    assert model.probability(good) > model.probability(bad)
    assert answers_question(answered, *_search(indexed, answered), indexed.settings.retrieval)
    assert not answers_question(near, *_search(indexed, near), indexed.settings.retrieval)


def test_threshold_setting_overrides_the_calibrated_one(indexed) -> None:
    question = "Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?"
    hits, plan = _search(indexed, question)
    probability = answer_probability(question, hits, plan)
    assert 0.0 < probability < 1.0
    strict = indexed.settings.retrieval.model_copy(update={"refusal_threshold": min(1.0, probability + 0.01)})
    assert not answers_question(question, hits, plan, strict)
    lenient = indexed.settings.retrieval.model_copy(update={"refusal_threshold": probability})
    assert answers_question(question, hits, plan, lenient)


def test_stored_model_is_calibrated_and_keeps_its_signs() -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES) and 0.0 < data["threshold"] < 1.0
    for name, weight in data["weights"].items():
        assert weight * SIGNS[name] >= 0, name  # e.g. more coverage never argues for refusing
    model = RefusalModel.from_dict(data)
    assert model.to_dict() == data


def test_model_round_trip_and_probability(tmp_path: Path) -> None:
    model = RefusalModel({"coverage": 2.0}, bias=-1.0, mean={"coverage": 0.5}, scale={"coverage": 0.25},
                         threshold=0.3)
    assert model.probability({"coverage": 0.5}) == pytest.approx(1 / (1 + 2.718281828 ** 1.0), rel=1e-6)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    again = load_refusal_model(path)
    assert again.threshold == 0.3 and again.probability({"coverage": 1.0}) == model.probability({"coverage": 1.0})


# --- the answer slot and the kind of document (assistant/study/slots.py) ---

GUIDE_CARDS = ("4. Thẻ hướng dẫn viên du lịch bao gồm thẻ hướng dẫn viên du lịch quốc tế, thẻ hướng dẫn viên du lịch "
               "nội địa và thẻ hướng dẫn viên du lịch tại điểm.\n\nThẻ hướng dẫn viên du lịch quốc tế và thẻ hướng dẫn "
               "viên du lịch nội địa có thời hạn 05 năm.")


def _hit(text: str, *, doc_label: str = "Luật Du lịch", doc_type: str = "luật", heading: str = "") -> Hit:
    return Hit(chunk_id="c", doc_id="d", title=doc_label, number="", doc_type=doc_type, article="58", clause="4",
               point="", section="", heading_path=[heading] if heading else [], page=None, page_end=None, start=0,
               end=len(text), score=1.0, text=text, citation="", doc_label=doc_label)


def _idf(*texts: str) -> dict[str, float]:
    return {t: 2.0 for text in texts for t in content_terms(text)}


def test_asked_slot_reads_what_kind_of_figure_is_asked() -> None:
    assert asked_slot("Thẻ hướng dẫn viên du lịch tại điểm có thời hạn bao nhiêu năm?") == DURATION
    assert asked_slot("bien ban phai dua len ung dung trong bao lau") == DURATION
    assert asked_slot("Tỷ lệ đảng viên đã kích hoạt tài khoản là bao nhiêu?") == PERCENT
    assert asked_slot("Người yêu cầu phải trả bao nhiêu tiền cho mỗi trang?") == MONEY
    assert asked_slot("Học sinh vào lớp một muộn nhất là bao nhiêu tuổi?") == AGE
    assert asked_slot("Chi bộ sinh hoạt chuyên đề mấy lần?") == TIMES
    assert asked_slot("Luật này có hiệu lực từ ngày nào?") == DATE
    assert asked_slot("Giai đoạn thí điểm triển khai tại bao nhiêu tổ chức đảng?") == NUMBER
    assert asked_slot("Quy định 339 quy định những gì?") is None


def test_holds_finds_figures_of_the_asked_kind_only() -> None:
    assert holds(DURATION, "có thời hạn 05 năm") and holds(DURATION, "trong ba mươi ngày")
    assert holds(DURATION, "ít nhất mỗi năm một lần") and holds(TIMES, "mỗi quý một lần")
    assert holds(PERCENT, "đạt tối thiểu 30% GDP") and holds(MONEY, "phạt 500.000 đồng")
    # dates, document numbers, years and words that look like numbers once accents are gone are not amounts
    assert not holds(DURATION, "Gò Quao, ngày 12 tháng 01 năm 2026, số 09-QĐ/ĐU")
    assert not holds(DURATION, "từ ngày ký, sau ngày nhận hồ sơ")
    assert not holds(TIMES, "Luật Cư trú quy định về đăng ký thường trú")
    assert not holds(MONEY, "có 02 đồng chí vắng mặt") and not holds(HOUR, "văn bản chính thức")
    assert holds(DURATION, "đổi mật khẩu tài khoản quản trị 03 tháng một lần")  # not the date "tháng 9"
    # an amount given by reference answers "mức bao nhiêu"
    assert holds(NUMBER, "Mức đóng đảng phí năm 2026 giữ nguyên như năm 2025.", counted_noun("mức bao nhiêu mỗi tháng"))
    # a count must count what is asked: "04 năm học" is not a number of pupils, "03 đồng chí" is one of members
    assert not holds(NUMBER, "Trung học cơ sở học trong 04 năm học.", "hoc")
    assert holds(NUMBER, "mỗi đảng viên trẻ hỗ trợ không quá 03 đồng chí", "dang")


def test_the_guide_card_near_miss_lacks_the_slot_the_real_question_has() -> None:
    hits = [_hit(GUIDE_CARDS, heading="Điều 58. Hướng dẫn viên du lịch, thẻ hướng dẫn viên du lịch")]
    near = "Theo Luật Du lịch, thẻ hướng dẫn viên du lịch tại điểm có thời hạn bao nhiêu năm?"
    real = "Theo Luật Du lịch, thẻ hướng dẫn viên du lịch nội địa có thời hạn bao nhiêu năm?"
    idf = _idf(GUIDE_CARDS, near, real)
    answered, missed = answer_slot(real, hits, idf, 6.0), answer_slot(near, hits, idf, 6.0)
    assert answered.unit is not None and "05 năm" in answered.unit.sentence
    assert answered.coverage == 1.0 and answered.missing_rare == 0.0 and answered.elsewhere == 0.0
    # the near miss lands on the same 05-year sentence, which lacks "điểm"; "điểm" is in the sentence before
    assert missed.unit == answered.unit
    assert missed.coverage < 1.0 and missed.missing_rare > 0.0 and missed.elsewhere > 0.0


def test_no_slot_when_no_passage_states_the_asked_figure() -> None:
    text = "3. Người cai nghiện ma túy tự nguyện hoàn thành ít nhất 03 giai đoạn được hỗ trợ kinh phí."
    question = "Người cai nghiện ma túy tự nguyện hoàn thành ít nhất 03 giai đoạn được hỗ trợ bao nhiêu tiền?"
    slot = answer_slot(question, [_hit(text, doc_label="Luật Phòng, chống ma túy")], _idf(text, question), 6.0)
    assert slot.kind == MONEY and slot.unit is None and slot.coverage == 0.0


def test_a_list_item_is_read_with_its_lead_in() -> None:
    text = ("2. Hồ sơ đề nghị cấp lại thẻ hướng dẫn viên du lịch bao gồm:\n\na) Đơn đề nghị theo mẫu;\n\n"
            "b) 02 ảnh chân dung màu cỡ 3 cm x 4 cm;")
    question = "Hồ sơ đề nghị cấp lại thẻ hướng dẫn viên du lịch gồm ảnh chân dung màu cỡ bao nhiêu?"
    slot = answer_slot(question, [_hit(text)], _idf(text, question), 6.0)
    assert slot.unit is not None and slot.unit.sentence.startswith("b) 02 ảnh")
    assert "bao gồm:" in slot.unit.context and slot.coverage == 1.0


def test_the_front_matter_found_governs_the_whole_document() -> None:
    header = _hit("ĐẢNG ỦY XÃ PHÚ LẠC\nCHI BỘ ẤP PHƯỚC TÂN\n*\nSố 02-TB/CB\nTHÔNG BÁO\nlịch thu đảng phí quý I",
                  doc_label="Thông báo 02-TB/CB", doc_type="thông báo")
    header.article = header.clause = ""
    body = _hit("2. Mức đóng: mức đóng đảng phí năm 2026 giữ nguyên như năm 2025.", doc_label="Thông báo 02-TB/CB",
                doc_type="thông báo")
    found = [u for u in units([body, header]) if u.sentence.startswith("2. Mức đóng")]
    assert found and "PHƯỚC TÂN" in found[0].context
    assert all("PHƯỚC TÂN" not in u.context for u in units([body]))


def test_a_claim_is_held_to_a_sentence_stating_a_figure_of_its_kind() -> None:
    assert stated_slot("Đảng viên phải đổi mật khẩu định kỳ 90 ngày một lần, đúng hay sai?") == DURATION
    assert stated_slot("Một kỳ sinh hoạt được chấm 72 điểm thì xếp loại gì?") == POINTS
    assert stated_slot("Điều 5 Quy định 339 quy định gì?") is None
    assert figures_of("Một kỳ sinh hoạt được chấm 72 điểm thì xếp loại gì?") == {"72"}
    assert figures_of("Chi bộ Ấp 7 có bao nhiêu đảng viên?") == set()  # a name, not an amount


def test_contrast_catches_a_copied_sentence_with_one_word_changed() -> None:
    sent = "chi bộ nơi đảng viên chuyển đi cập nhật thông tin chuyển sinh hoạt trên Ứng dụng trong thời hạn 05 ngày."
    assert contrast("khi chuyển sinh hoạt, chi bộ nơi đảng viên chuyển đến cập nhật thông tin chuyển sinh hoạt "
                    "trên ứng dụng trong thời hạn bao nhiêu ngày?", sent) == 1.0
    assert contrast("chi bộ nơi đảng viên chuyển đi cập nhật thông tin chuyển sinh hoạt trên ứng dụng trong thời "
                    "hạn bao nhiêu ngày?", sent) == 0.0
    minus = "2. Đảng viên vắng sinh hoạt chi bộ không có lý do bị trừ 05 điểm cho mỗi lần vắng."
    assert contrast("đảng viên vắng sinh hoạt chi bộ có lý do thì bị trừ bao nhiêu điểm?", minus) == 1.0
    assert contrast("đảng viên vắng sinh hoạt chi bộ không có lý do bị trừ bao nhiêu điểm?", minus) == 0.0
    # a word only added is the same case
    assert contrast("hoàn thành việc cấp tài khoản ứng dụng cho 100% đảng viên trước ngày nào?",
                    "3. Hoàn thành việc cấp tài khoản cho 100% đảng viên trong đảng bộ trước ngày 30/6/2026.") == 0.0


def test_kind_absent_when_the_question_is_about_a_kind_of_document_not_found() -> None:
    laws = [_hit("1. Công dân có quyền tự do cư trú.", doc_label="Luật Cư trú")]
    decree = "Nghị định của Chính phủ hướng dẫn Luật Cư trú quy định mẫu tờ khai gồm những mục nào?"
    assert named_kind(decree) == "nghi dinh" and kind_absent(decree, laws)
    assert not kind_absent("Theo Luật Cư trú, công dân có quyền gì?", laws)
    # "theo quy định của" is "as provided by", and a cell's minutes are a topic, not a document named
    assert named_kind("Người nghiện ma túy bị xử lý theo quy định của Luật Xử lý vi phạm hành chính?") == ""
    assert named_kind("biên bản sinh hoạt chi bộ phải đưa lên ứng dụng trong bao lâu") == ""
    assert named_kind("Theo Điều lệ Đảng, chi bộ có ít nhất bao nhiêu đảng viên?") == "dieu le"
    # a document the question is about, not from (the plan to study it answers)
    assert named_kind("Đảng viên vắng buổi học tập Nghị quyết 03-NQ/ĐU phải học bù trong bao nhiêu ngày?") == ""
    assert not kind_absent("Theo Bộ luật Dân sự, …", [_hit("…", doc_label="Bộ luật Dân sự", doc_type="bộ luật")])
