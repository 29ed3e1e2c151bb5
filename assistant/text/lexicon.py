"""What a sentence may say in its own words: a short synonym table and the words any paraphrase uses.

The stricter default of the verifier: every content word of a generated sentence must be in the passage it
cites, unless it is a known synonym of a phrase the passage uses ("trong vòng" for "trong thời hạn", "phải"
for "có trách nhiệm", "cấm" for "không được"), or one of the few words a paraphrase needs whatever the passage
says (an address, a frame, a linking word). What is left is the sentence's own content: a fact, condition or
actor the passage does not give. ``new_words`` lists it; the caller decides how much is too much.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.clauses import MARKER, content_words
from assistant.text.references import fold
from assistant.text.vietnamese import nfc

# Groups of phrases that say the same thing in these texts. A phrase of a group is the sentence's own wording
# only when the passage uses no phrase of that group.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("trong vòng", "trong thời hạn", "trong", "chậm nhất", "không quá", "tối đa", "hạn"),
    ("phải", "có trách nhiệm", "có nghĩa vụ", "bắt buộc", "cần", "yêu cầu"),
    ("không được", "cấm", "nghiêm cấm"),
    ("có thể", "được phép", "được quyền", "có quyền", "tự chọn", "lựa chọn", "tùy chọn"),
    ("ít nhất", "tối thiểu", "không ít hơn", "không dưới", "trở lên"),
    ("kéo dài", "thời gian", "thời lượng"),
    ("giải quyết", "xử lý", "xem xét"),
    ("sử dụng", "dùng"),
    ("thực hiện", "làm", "tiến hành", "triển khai"),
    ("gửi", "chuyển", "nộp", "đưa"),
    ("thông báo", "báo", "báo cáo", "báo tin"),
    ("hằng năm", "hàng năm", "mỗi năm", "năm"),
    ("hằng tháng", "hàng tháng", "mỗi tháng", "tháng"),
    ("hằng quý", "hàng quý", "mỗi quý", "quý"),
    ("đồng chí", "đảng viên", "người"),
    ("xếp loại", "đánh giá", "phân loại"),
    ("toàn bộ", "tất cả", "toàn thể", "100%"),
    ("một nửa", "nửa", "50%"),
    ("nhận", "tiếp nhận", "nhận được"),
    ("bỏ", "bãi bỏ", "hủy bỏ", "huỷ bỏ", "xóa bỏ", "xoá bỏ"),
    ("kể từ", "từ", "sau", "sau khi"),
    ("ngay", "lập tức", "ngay lập tức"),
    ("văn bản", "giấy tờ", "tài liệu", "bản"),
    ("cập nhật", "bổ sung", "thay đổi", "điều chỉnh", "sửa", "sửa đổi"),
    ("lần", "kỳ", "đợt"),
    ("đạt", "được", "có"),
    ("xong", "hoàn thành", "hoàn tất", "kết thúc"),
    ("tổ chức", "họp", "sinh hoạt"),
    ("công khai", "niêm yết", "đăng", "đăng tải"),
    ("quy định", "nêu", "đề ra", "ghi"),
    ("giữ", "lưu", "lưu giữ", "quản lý"),
)
# Words any paraphrase may use: an address to the reader, framing and linking words, and the scope words the
# polarity check reads on its own ("đều", "cả", "chỉ").
PARAPHRASE = frozenset({
    "thua", "kinh", "cu", "the", "tuc", "nhu", "sau", "bao", "gom", "trong", "doi", "voi", "vay", "rieng", "con",
    "dong", "thoi", "ngoai", "nham", "cac", "nhung", "viec", "nguoi", "deu", "ca", "chi", "ke", "tren", "duoi",
    "luc", "roi", "them", "hien", "nay", "tiep", "truong", "hop", "muc", "noi", "dung", "cua", "minh", "ho",
    # light verbs a sentence needs to state a passage's figure or heading ("được giải quyết trong 05 ngày")
    "giai", "quyet", "keo", "dai", "dat", "chiem", "thuoc", "vi", "muon", "xuong", "len", "rut",
})
_ADDRESS = re.compile(r"^\s*(?:kính\s+)?(?:thưa|gửi)\s+(?:các\s+)?(?:đồng chí|anh|chị|bạn)\b[^,]*,\s*", re.IGNORECASE)


def without_address(sentence: str) -> str:
    """The sentence without an opening address to the reader ("Thưa đồng chí, …")."""
    return _ADDRESS.sub("", nfc(sentence))


def _has(phrase: str, folded: str) -> bool:
    return bool(re.search(rf"(?<![a-z0-9]){re.escape(fold(phrase))}(?![a-z0-9])", folded))


def synonyms_marked(body: str, passages: Sequence[str], mark: str = " ") -> str:
    """``body`` folded, each phrase of a synonym group the passages use replaced by ``mark``: "chi trả toàn bộ
    chi phí" for a passage saying "bảo đảm 100% chi phí" reads "chi tra 0 chi phi" with ``mark=" 0 "`` (a figure
    mark, which ends a run of invented words)."""
    theirs = fold(nfc("\n".join(passages)))
    text = fold(without_address(MARKER.sub(" ", body)))
    for group in SYNONYMS:
        if any(_has(p, theirs) for p in group):
            for phrase in sorted(group, key=len, reverse=True):
                text = re.sub(rf"(?<![a-z0-9]){re.escape(fold(phrase))}(?![a-z0-9])", mark, text)
    return text


def new_words(body: str, passages: Sequence[str]) -> list[str]:
    """Content words of ``body`` (a sentence stripped of its citations) that neither the passages (texts with
    their citations) nor a synonym of a phrase they use nor ``PARAPHRASE`` account for."""
    theirs = fold(nfc("\n".join(passages)))
    text = synonyms_marked(body, passages)
    known = set(re.findall(r"[a-z0-9]+", theirs))
    return sorted(w for w in content_words(text) if w not in known and w not in PARAPHRASE and not w.isdigit())
