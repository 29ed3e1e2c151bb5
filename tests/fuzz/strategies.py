"""Hypothesis strategies for Vietnamese text as parsers meet it: real words, numbering that breaks, huge lines,
control characters and mixed Unicode forms."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxy"
           "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
           "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ")
TOKENS = [
    # structure of normative texts and Party documents
    "Điều", "Điều 1.", "Điều 5. Nguyên tắc", "ĐIỀU", "Chương I", "Chương IV", "CHƯƠNG", "Mục 2", "Phần thứ nhất",
    "Tiểu mục", "khoản", "Khoản 2", "khoản 2 Điều 5", "điểm", "điểm a", "a)", "b)", "đ)", "z)", "©)", "0)", "1)",
    "1.", "2.", "10.", "1.1.", "1.1.1", "9.3.2", "I-", "II.", "III-", "IV -", "MMXX.", "-", "+", "*", "•",
    # document numbers and citations
    "Quy định 339-QĐ/TW", "Nghị quyết 57", "57-NQ/TW", "Số 05-BB/CB", "Số:", "QĐ", "QD", "TW", "/TW", "-NQ/",
    "Luật Viên chức", "Bộ luật dân sự", "Luật này", "của", "và", "hoặc", "các khoản 1, 2 và 3 Điều 7",
    "dieu 5 khoan 2 quy dinh 339", "Điều 4, khoản 2",
    # meeting notes
    "Chủ trì:", "Thư ký:", "Có mặt:", "Vắng", "có lý do", "Tổng số đảng viên:", "Biểu quyết", "tán thành",
    "không tán thành", "Giao đ/c", "đ/c", "Đ/c", "dc", "trước ngày", "20/4/2026", "32/13/2026", "19h00", "25h99",
    "Kết luận:", "Phân công:", "Nội dung:", "Thảo luận:", "Kết thúc", "%", "14/15", "15/14", "0/0", "100%",
    # question frames and options
    "đúng hay sai?", "Nhận định nào sau đây đúng?", "A.", "B)", "C.", "D)", "Cả A, B, C đều đúng", "?",
]
CONTROL = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\r", "\r\n", "\x1b[31m", "\x7f", "\x85", "\u200b", "\u200d",
           "\ufeff", "\u202e", "\u2028", "\u2029", "\u00a0", "\u0301", "\u0323", "\u0309", "\ufffd", "\U0001f600"]

words = st.text(alphabet=LETTERS, min_size=1, max_size=12)
numbers = st.integers(min_value=-5, max_value=10**9).map(str)
piece = st.one_of(st.sampled_from(TOKENS), words, numbers, st.sampled_from(CONTROL),
                  st.sampled_from([" ", "  ", "\n", "\n\n", "\t", ""]))
line = st.lists(piece, max_size=25).map(" ".join)
document = st.lists(line, max_size=40).map("\n".join)
huge_line = st.builds(lambda word, count: (word + " ") * count, st.one_of(words, st.sampled_from(TOKENS)),
                      st.integers(min_value=500, max_value=4000))
anything = st.text(max_size=1500)  # any Unicode at all (Hypothesis leaves out lone surrogates)


def _forms(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, unicodedata.normalize("NFD", text), text.upper(), text.replace("\n", "\r")])


vietnamese_text = st.one_of(document, huge_line, anything, document.flatmap(_forms))
short_text = st.one_of(line, anything.map(lambda s: s[:300]), line.flatmap(_forms))
