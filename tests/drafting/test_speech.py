"""Text for listening (numbers, dates, percentages, document numbers, abbreviations) and espeak-ng."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.drafting.bulletin.speech import (
    count_words,
    date_to_words,
    encode_mp3,
    espeak_speed,
    mp3_encoder,
    normalize_for_speech,
    number_to_words,
    synthesize,
    wav_duration,
)


@pytest.mark.parametrize(("n", "words"), [
    (0, "không"), (4, "bốn"), (10, "mười"), (15, "mười lăm"), (21, "hai mươi mốt"), (24, "hai mươi tư"),
    (25, "hai mươi lăm"), (55, "năm mươi lăm"), (100, "một trăm"), (105, "một trăm linh năm"),
    (110, "một trăm mười"), (339, "ba trăm ba mươi chín"), (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"), (2025, "hai nghìn không trăm hai mươi lăm"),
    (10000, "mười nghìn"), (1_500_000, "một triệu năm trăm nghìn"), (2_000_000_000, "hai tỷ"),
])
def test_numbers(n: int, words: str) -> None:
    assert number_to_words(n) == words


@pytest.mark.parametrize(("text", "spoken"), [
    ("đạt 100%", "đạt một trăm phần trăm"),
    ("tỷ lệ 12,5%", "tỷ lệ mười hai phẩy năm phần trăm"),
    ("ngày 10/7/2025", "ngày mười tháng bảy năm hai nghìn không trăm hai mươi lăm"),
    ("10/7/2025", "ngày mười tháng bảy năm hai nghìn không trăm hai mươi lăm"),
    ("ngày 10 tháng 7 năm 2025", "ngày mười tháng bảy năm hai nghìn không trăm hai mươi lăm"),
    ("trước ngày 30/4", "trước ngày ba mươi tháng tư"),
    ("lúc 19h30", "lúc mười chín giờ ba mươi phút"),
    ("57-NQ/TW", "Nghị quyết số năm mươi bảy, Trung ương"),
    ("Nghị quyết số 57-NQ/TW", "Nghị quyết số năm mươi bảy, Trung ương"),
    ("Quy định 339-QĐ/TW", "Quy định số ba trăm ba mươi chín, Trung ương"),
    ("Kế hoạch 168-KH/VPTW", "Kế hoạch số một trăm sáu mươi tám, Văn phòng Trung ương"),
    ("Hướng dẫn 42-HD/BTCTW", "Hướng dẫn số bốn mươi hai, Ban Tổ chức Trung ương"),
    ("Nghị định 123/2020/NĐ-CP", "Nghị định số một trăm hai mươi ba năm hai nghìn không trăm hai mươi, Chính phủ"),
    # Party "TT" is a thông tri (the speech table once said "Thông tư"); a state "TT" is a thông tư.
    ("05-TT/TW", "Thông tri số năm, Trung ương"),
    ("Thông tư 01/2021/TT-BNV", "Thông tư số một năm hai nghìn không trăm hai mươi mốt, BNV"),
    ("BCH TW, UBND, HĐND và MTTQ", "Ban Chấp hành Trung ương, Ủy ban nhân dân, Hội đồng nhân dân và Mặt trận Tổ quốc"),
    ("16/16 đồng chí tán thành", "mười sáu trên mười sáu đồng chí tán thành"),
    ("giai đoạn 2021-2025", "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm"),
    ("1.500.000 đồng", "một triệu năm trăm nghìn đồng"),
    ("Điều 5, Chương II", "Điều năm, Chương hai"),
])
def test_normalize_for_speech(text: str, spoken: str) -> None:
    assert normalize_for_speech(text) == spoken


def test_no_digits_or_symbols_left() -> None:
    text = ("Quy định số 339-QĐ/TW ngày 10/7/2025 của BCT: 100% đảng viên (chính thức, dự bị) cài đặt ứng dụng; "
            "18/19 đảng viên, năng suất 6,2 tấn/ha.")
    spoken = normalize_for_speech(text)
    assert not any(ch.isdigit() for ch in spoken)
    assert "%" not in spoken and "/" not in spoken


def test_date_words_and_speed() -> None:
    assert date_to_words(1, 4, 2026) == "ngày một tháng tư năm hai nghìn không trăm hai mươi sáu"
    assert espeak_speed(150) == 103 and espeak_speed(10) == 80
    assert count_words("Kính thưa các đồng chí!") == 5


ESPEAK = shutil.which("espeak-ng")


@pytest.mark.integration
@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_espeak_wav_length_matches_words(tmp_path: Path) -> None:
    text = normalize_for_speech(
        "Kính thưa các đồng chí đảng viên. Quy định số 339-QĐ/TW ngày 10/7/2025 của Bộ Chính trị yêu cầu "
        "100% đảng viên chính thức và dự bị cài đặt, sử dụng ứng dụng Sổ tay đảng viên điện tử. "
        "Chi bộ đăng tài liệu lên ứng dụng trước kỳ sinh hoạt ít nhất 1 ngày.")
    path = synthesize(text, tmp_path / "t.wav", voice="vi", words_per_minute=150)
    seconds = wav_duration(path)
    expected = count_words(text) / 150 * 60
    assert 0.6 * expected < seconds < 1.5 * expected, (seconds, expected)


@pytest.mark.integration
@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
@pytest.mark.skipif(mp3_encoder() is None, reason="no MP3 encoder (lame binary or lameenc package)")
def test_mp3(tmp_path: Path) -> None:
    wav = synthesize("Xin chào các đồng chí.", tmp_path / "t.wav")
    mp3 = encode_mp3(wav, tmp_path / "t.mp3")
    data = mp3.read_bytes()
    assert data[:3] == b"ID3" or data[0] == 0xFF
    direct = synthesize("Xin chào các đồng chí.", tmp_path / "direct.mp3")
    assert direct.stat().st_size > 0 and not (tmp_path / "direct.wav").exists()


def test_missing_espeak_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from assistant.errors import BackendUnavailable

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(BackendUnavailable, match="espeak-ng"):
        synthesize("Xin chào", tmp_path / "x.wav")


@pytest.mark.integration
@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_mp3_through_lameenc_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("lameenc", reason="lameenc package not installed")
    wav = synthesize("Xin chào các đồng chí.", tmp_path / "t.wav")
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "lame" else real_which(name))
    assert mp3_encoder() == "lameenc"
    assert encode_mp3(wav, tmp_path / "t.mp3").stat().st_size > 500


def test_dates_after_a_capital_ngay_are_not_doubled() -> None:
    """Regression: "Ngày 06/01/2026, …" was read "Ngày ngày sáu tháng một …"."""
    from assistant.drafting.bulletin.speech import normalize_for_speech

    assert normalize_for_speech("Ngày 06/01/2026, Ban Thường vụ họp.").startswith(
        "Ngày sáu tháng một năm hai nghìn không trăm hai mươi sáu, Ban Thường vụ")


def test_document_numbers_in_running_text() -> None:
    from assistant.drafting.bulletin.speech import normalize_for_speech

    assert normalize_for_speech("Chỉ thị số 50-CT/TW của Ban Bí thư") == "Chỉ thị số năm mươi của Ban Bí thư"
    assert normalize_for_speech("theo Chỉ thị số 50-CT/TW.") == "theo Chỉ thị số năm mươi, Trung ương."
    assert normalize_for_speech("Luật số 20/2023/QH15") == \
        "Luật số hai mươi năm hai nghìn không trăm hai mươi ba của Quốc hội khóa mười lăm"


def test_pauses_and_espeak_command() -> None:
    from pathlib import Path

    from assistant.drafting.bulletin.speech import espeak_command, shape_for_espeak

    assert shape_for_espeak("A, b; c", 0) == ("A, b; c", False)
    text, ssml = shape_for_espeak("Đảng viên, chi bộ & cấp ủy: họp", 200)
    assert ssml and text == ('<speak>Đảng viên,<break time="200ms"/> chi bộ &amp; cấp ủy:<break time="200ms"/> '
                             'họp</speak>')
    cmd = espeak_command("espeak-ng", Path("s.txt"), Path("o.wav"), voice="vi", speed=120, word_gap=3, ssml=True)
    assert cmd == ["espeak-ng", "-v", "vi", "-s", "120", "-b", "1", "-g", "3", "-m", "-f", "s.txt", "-w", "o.wav"]
