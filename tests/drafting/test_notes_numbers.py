"""Numbers in words, the folded key, names and the roster: the building blocks of reading secretaries' notes."""

from __future__ import annotations

import pytest

from assistant.drafting.notes.lines import prepare
from assistant.drafting.notes.names import Roster, find_refs
from assistant.drafting.notes.numbers import digitize, fold


@pytest.mark.parametrize(("text", "expected"), [
    ("hôm nay có mặt hai mươi mốt đồng chí, vắng hai", "hôm nay có mặt 21 đồng chí, vắng 2"),
    ("Đảng viên: hai mươi bốn, chính thức hai mươi mốt, dự bị ba", "Đảng viên: 24, chính thức 21, dự bị 3"),
    ("xong trước ngày ba mươi tháng chín", "xong trước ngày 30 tháng 9"),
    ("trong tháng mười hai", "trong tháng 12"),
    ("Bảy giờ rưỡi tối ngày 12", "7 giờ 30 tối ngày 12"),
    ("Chín giờ kém mười lăm tối kết thúc", "8 giờ 45 tối kết thúc"),
    ("hai mươi giờ bốn mươi lăm", "20 giờ 45"),
    ("một trăm linh năm đảng viên", "105 đảng viên"),
    ("co mat hai muoi mot, vang ba", "co mat 21, vang 3"),
    # Not numbers: names, years, "mười năm", and accent-free words that only look like numbers.
    ("Đồng chí Nguyễn Thị Bé Ba, Trần Văn Mười Hai", "Đồng chí Nguyễn Thị Bé Ba, Trần Văn Mười Hai"),
    ("tháng 11 năm 2026", "tháng 11 năm 2026"),
    ("mười năm nay", "10 năm nay"),
    ("tuan sau, dang ky tam tru, tu 19h", "tuan sau, dang ky tam tru, tu 19h"),
    ("Bay gio la 19 gio 30", "Bay gio la 19 gio 30"),
])
def test_digitize(text: str, expected: str) -> None:
    assert digitize(text).text == expected


def test_rewritten_text_maps_back_to_the_original() -> None:
    line = prepare("Đồng chí Triệu Văn Minh: thôn còn mười hai héc-ta đất trống")[0]
    assert "12 héc-ta" in line.text
    start = line.text.index("thôn")
    assert line.quote(start, len(line.text)) == "thôn còn mười hai héc-ta đất trống"


def test_fold_keeps_one_character_per_character() -> None:
    text = "Đ/c Nguyễn Thị Hoà, CÓ MẶT 21"
    assert fold(text) == "d/c nguyen thi hoa, co mat 21" and len(fold(text)) == len(text)


def test_chat_stamps_and_senders_are_removed() -> None:
    lines = prepare("[19:02] Tuan CB: Mời họp\nNguyen Lan, 19:40: Bat dau 19h30\n(20:06) Hằng Nga: 👍\n")
    assert [line.text for line in lines[:3]] == ["Mời họp", "Bat dau 19h30", "👍"]
    assert [line.sender for line in lines[:3]] == ["Tuan CB", "Nguyen Lan", "Hằng Nga"]
    assert lines[1].quote(0, 3) == "Bat"
    # One line in that form is not a chat: "Thời gian, 19:30: …" keeps its text.
    assert prepare("Ghi chép, 19:30: họp chi bộ")[0].text == "Ghi chép, 19:30: họp chi bộ"


@pytest.mark.parametrize(("text", "names"), [
    ("CT: Đ/c Thiếu tá Mạc Đình Khôi, BT CB", [("Mạc Đình Khôi", "Thiếu tá")]),
    ("giao BS Trần Quang Diện, ĐD Lê Thị Hồng Gấm", [("Trần Quang Diện", "BS"), ("Lê Thị Hồng Gấm", "ĐD")]),
    ("Đ/c Y Khuê Êban (Bí thư), đồng chí H'Lim Mlô", [("Y Khuê Êban", ""), ("H'Lim Mlô", "")]),
    ("Lò Văn Hặc BT: - Chủ trì", []),
    ("Khách mời: đồng chí Hoàng Thị Minh Châu, Phó Bí thư Đảng ủy phường.", [("Hoàng Thị Minh Châu", "")]),
    ("Chị Sa Pha báo cáo; đ/c Lý Hoàng Anh - BT", [("Sa Pha", ""), ("Lý Hoàng Anh", "")]),
])
def test_person_references(text: str, names: list[tuple[str, str]]) -> None:
    assert [(r.name, r.title) for r in find_refs(prepare(text)[0])] == names


def test_names_typed_in_lower_case() -> None:
    line = prepare("ct: dc nguyen duc thang (bt), tk: dc pham thi hue; dc quach ngoc lam phu trach mua vat tu")[0]
    assert [r.name for r in find_refs(line, lower=True)] == ["Nguyen Duc Thang", "Pham Thi Hue", "Quach Ngoc Lam"]


def test_roster_resolves_given_names_only_when_unique() -> None:
    roster = Roster()
    for name in ("Huynh Ngoc Han", "Huỳnh Ngọc Hân", "Lâm Thị Sa Pha", "Y Ngông Mlô", "Phan Thị Kim Loan",
                 "Lê Văn An", "Trần Văn An"):
        roster.add(name)
    assert roster.resolve("Hân") == "Huỳnh Ngọc Hân"  # the spelling with diacritics wins
    assert roster.resolve("Sa Pha") == "Lâm Thị Sa Pha" and roster.resolve("Kim Loan") == "Phan Thị Kim Loan"
    assert roster.resolve("Y Ngông") == "Y Ngông Mlô"  # Ê Đê names are called by their first words
    assert roster.resolve("An") == "An"  # two people called An: left as written
    assert roster.resolve("tuyen") == "Tuyen"
