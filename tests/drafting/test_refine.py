"""A capable model may improve phrasing, never names, numbers or dates."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from assistant.drafting.notes.refine import check_rewrite, refine_record
from assistant.llm.fake import FakeLLM
from assistant.prompts import load_prompt

from .conftest import SAMPLES

NOTES = (SAMPLES[0]).read_text(encoding="utf-8")


def _summary(service: Any) -> Any:
    return service.summarize(NOTES, source="01.txt")


def test_check_rewrite_rules() -> None:
    original = "Đề nghị sửa chữa đoạn đường nội đồng bị sạt lở."
    assert check_rewrite("Đề nghị chi bộ sửa chữa đoạn đường nội đồng bị sạt lở.", original, NOTES) is None
    assert "số không có" in check_rewrite("Đề nghị sửa 3 đoạn đường nội đồng.", original, NOTES)
    assert "tên không có" in check_rewrite("Đề nghị đồng chí Lò Văn Tèo sửa đường.", original, NOTES)
    assert "không phải tiếng Việt" in check_rewrite("Please fix the road.", original, NOTES)
    assert check_rewrite("", original, NOTES) == "trống"


LINES = NOTES.split("\n")


def _line(start: str) -> str:
    return next(line for line in LINES if line.startswith(start))


@pytest.mark.parametrize(("new", "original", "line"), [
    # what the old check (figures and capitalised names) let through
    ("Đồng chí Nguyễn Văn Minh đề nghị chi bộ không hỗ trợ đảng viên lớn tuổi cài đặt ứng dụng.",
     "Đề nghị chi bộ hỗ trợ đảng viên lớn tuổi cài đặt ứng dụng.", "- Đ/c Nguyễn Văn Minh"),  # negation added
    ("Đề nghị Ủy ban nhân dân xã sửa chữa đoạn đường nội đồng bị sạt lở.",
     "Đề nghị sửa chữa đoạn đường nội đồng bị sạt lở.", "- Đ/c Huỳnh Văn Sơn"),  # invented body
    ("Chi bộ có thể cài đặt ứng dụng cho 100% đảng viên trong tháng 3 nếu có điều kiện.",
     "Thống nhất cài đặt ứng dụng cho 100% đảng viên trong tháng 3.", "Kết luận"),  # a decision made optional
    ("Tổ phụ nữ đã vận động 25 hộ đăng ký online mô hình vườn rau sạch.",
     "Tổ phụ nữ đã vận động 25 hộ đăng ký mô hình vườn rau sạch.", "- Đ/c Trần Thị Lan"),  # foreign word
])
def test_rewrite_is_held_to_its_note_like_a_study_answer(new: str, original: str, line: str) -> None:
    assert set(re.findall(r"\d+", new)) <= set(re.findall(r"\d+", original))  # figures alone pass
    reason = check_rewrite(new, original, NOTES, _line(line))
    assert reason is not None and reason.startswith("không khớp ghi chép")


@pytest.mark.parametrize(("new", "original", "line"), [
    ("Đồng chí Nguyễn Văn Minh đề nghị chi bộ hỗ trợ các đảng viên lớn tuổi cài đặt ứng dụng.",
     "Đề nghị chi bộ hỗ trợ đảng viên lớn tuổi cài đặt ứng dụng.", "- Đ/c Nguyễn Văn Minh"),
    ("Tổ phụ nữ đã vận động được hai mươi lăm hộ đăng ký mô hình vườn rau sạch.",  # a number in words
     "Tổ phụ nữ đã vận động 25 hộ đăng ký mô hình vườn rau sạch.", "- Đ/c Trần Thị Lan"),
    ("Chi bộ thống nhất cài đặt ứng dụng cho toàn bộ đảng viên trong tháng 3.",
     "Thống nhất cài đặt ứng dụng cho 100% đảng viên trong tháng 3.", "Kết luận"),
    ("Phối hợp với trưởng ấp khảo sát đoạn đường bị sạt lở.", "Phối hợp trưởng ấp khảo sát đoạn đường sạt lở",
     "- Giao đ/c Huỳnh Văn Sơn"),
])
def test_faithful_rewording_is_kept(new: str, original: str, line: str) -> None:
    assert check_rewrite(new, original, NOTES, _line(line)) is None


def test_numbers_in_words_are_held_to_the_notes() -> None:
    original = "Tổ phụ nữ đã vận động 25 hộ đăng ký mô hình vườn rau sạch."
    reason = check_rewrite("Tổ phụ nữ đã vận động ba mươi hộ đăng ký mô hình vườn rau sạch.", original, NOTES)
    assert reason == "số không có trong ghi chép: 30"


def test_capable_model_rewrites_are_verified(cell_settings: Any) -> None:
    from assistant.drafting.service import drafting_service

    answer = json.dumps({
        "o1": "Đồng chí đề nghị chi bộ hỗ trợ các đảng viên lớn tuổi cài đặt ứng dụng.",  # fine
        "o2": "Tổ phụ nữ đã vận động 30 hộ đăng ký mô hình vườn rau sạch.",  # 30 is invented
        "c1": "Chi bộ thống nhất cài đặt ứng dụng cho 100% đảng viên trong tháng 3.",  # fine
        "t1": "Đồng chí Lò Văn Tèo hướng dẫn cài đặt ứng dụng.",  # invented name
        "x9": "không có mục này",
    }, ensure_ascii=False)
    llm = FakeLLM([answer], writes_vietnamese=True)
    service = drafting_service(cell_settings, llm=llm)
    summary = service.summarize(NOTES)
    record = summary.record
    assert summary.refined is not None
    assert summary.refined.accepted == 2 and summary.refined.rejected == 2
    assert record.opinions[0].content.startswith("Đồng chí đề nghị chi bộ hỗ trợ")
    assert "25 hộ" in record.opinions[1].content  # the deterministic text stayed
    assert record.tasks[0].what == "Hướng dẫn cài đặt Sổ tay đảng viên điện tử"
    # Names, owners, counts and dates never come from the model.
    assert record.tasks[0].owner == "Nguyễn Văn Minh" and str(record.tasks[0].deadline) == "2026-03-20"
    prompt = llm.prompts[0][0].content
    assert "Nguyễn Văn Minh" in prompt and '"o1"' in prompt


def test_garbage_answer_keeps_deterministic_record(cell_settings: Any) -> None:
    from assistant.drafting.service import drafting_service

    service = drafting_service(cell_settings, llm=FakeLLM(["Xin lỗi, tôi không hiểu."], writes_vietnamese=True))
    plain = drafting_service(cell_settings, llm=FakeLLM(writes_vietnamese=False)).summarize(NOTES).record
    summary = service.summarize(NOTES)
    assert summary.refined is not None and summary.refined.accepted == 0
    assert summary.record == plain


def test_incapable_model_is_never_called(cell_settings: Any) -> None:
    from assistant.drafting.service import drafting_service

    llm = FakeLLM(["{}"], writes_vietnamese=False)
    summary = drafting_service(cell_settings, llm=llm).summarize(NOTES)
    assert summary.refined is None and llm.prompts == []


def test_model_factory_is_lazy(cell_settings: Any) -> None:
    from assistant.drafting.service import drafting_service

    calls: list[int] = []

    def factory() -> FakeLLM:
        calls.append(1)
        return FakeLLM(writes_vietnamese=False)

    service = drafting_service(cell_settings, llm=factory)
    assert calls == []
    service.summarize(NOTES)
    service.summarize(NOTES)
    assert calls == [1]


def test_unavailable_model_is_remarked_per_call(cell_settings: Any) -> None:
    """Bug: the "model unavailable" remark went to DraftingService.notes, a list shared by every UI
    session; each call showed (or the CLI printed) remarks from earlier calls of other users."""
    from assistant.drafting.service import drafting_service
    from assistant.errors import BackendUnavailable

    def broken() -> FakeLLM:
        raise BackendUnavailable("không kết nối được Ollama")

    service = drafting_service(cell_settings, llm=broken)
    first = service.summarize(NOTES)  # one session
    second = service.summarize(NOTES.replace("Minh", "Mạnh"))  # another session on the same service
    assert len(first.remarks) == 1 and "không kết nối được Ollama" in first.remarks[0]
    assert second.remarks == first.remarks and second.remarks is not first.remarks
    assert service.summarize(NOTES, refine=False).remarks == []
    assert first.record.tasks[0].owner == "Nguyễn Văn Minh" and second.record.tasks[0].owner == "Nguyễn Văn Mạnh"
    assert not hasattr(service, "notes")


def test_refine_prompt_variables() -> None:
    for lang in ("vi", "en"):
        prompt = load_prompt("drafting_summary", lang)
        assert prompt.variables == {"notes", "items"}
        assert '{"o1"' in prompt.render(notes="x", items="{}")
        assert load_prompt("drafting_bulletin", lang).variables == {"item", "words"}


def test_refine_record_without_items() -> None:
    from assistant.drafting.notes.record import MeetingRecord

    llm = FakeLLM(writes_vietnamese=True)
    report = refine_record(MeetingRecord(), "", llm, load_prompt("drafting_summary"))
    assert report.accepted == 0 and llm.prompts == []
