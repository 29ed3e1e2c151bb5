"""Interface strings: Vietnamese first, English as the alternative.

``settings.ui.language`` picks the language once, when the app is built. A
missing key is a bug and raises, so a label never silently shows its key.
"""

from __future__ import annotations

from typing import Any

# key -> (Vietnamese, English)
STRINGS: dict[str, tuple[str, str]] = {
    # header and roles
    "app.title": ("Trợ lý Chi bộ", "Cell Assistant"),
    "app.tagline": ("Học tập nghị quyết, soạn biên bản, báo cáo — chạy hoàn toàn ngoại tuyến trên máy này.",
                    "Study resolutions, draft minutes and reports — fully offline on this machine."),
    "app.user": ("Đang đăng nhập: **{name}** — {role}", "Signed in: **{name}** — {role}"),
    "app.logout": ("Đăng xuất", "Sign out"),
    "app.login_message": ("<b>Trợ lý Chi bộ</b> — đăng nhập bằng tài khoản do quản trị viên cấp "
                          "(<i>username</i>: tên đăng nhập, <i>password</i>: mật khẩu, rồi bấm <i>Login</i>).",
                          "<b>Cell Assistant</b> — sign in with the account your administrator gave you."),
    "role.member": ("Đảng viên", "Member"),
    "role.secretary": ("Bí thư / cấp ủy", "Secretary"),
    "role.admin": ("Quản trị", "Administrator"),
    # tabs
    "tab.ask": ("Hỏi đáp", "Study chat"),
    "tab.docs": ("Tài liệu", "Documents"),
    "tab.minutes": ("Biên bản", "Minutes"),
    "tab.summary": ("Tóm tắt họp", "Meeting summary"),
    "tab.report": ("Báo cáo", "Report"),
    "tab.bulletin": ("Bản tin âm thanh", "Audio bulletin"),
    "tab.system": ("Hệ thống", "System"),
    # study chat
    "ask.chat": ("Hỏi đáp có trích dẫn", "Answers with citations"),
    "ask.placeholder": ("Hỏi về nghị quyết, quy định đã nạp… Ví dụ: Quy định 339-QĐ/TW áp dụng cho ai?",
                        "Ask about the loaded resolutions and regulations…"),
    "ask.question": ("Câu hỏi", "Question"),
    "ask.send": ("Gửi câu hỏi", "Ask"),
    "ask.new": ("Cuộc hỏi mới", "New conversation"),
    "ask.filters": ("Lọc tài liệu", "Filter documents"),
    "ask.docs": ("Chỉ hỏi trong các tài liệu", "Only these documents"),
    "ask.types": ("Loại văn bản", "Document types"),
    "ask.sources": ("Đoạn trích dẫn", "Cited passages"),
    "ask.sources_empty": ("Các đoạn văn bản làm căn cứ sẽ hiện ở đây.", "The passages behind the answer appear here."),
    "ask.details": ("Dữ liệu trả lời (JSON)", "Answer data (JSON)"),
    "ask.page": ("trang {page}", "page {page}"),
    "ask.scanned": ("từ bản quét", "from a scan"),
    "ask.page_image": ("Xem ảnh trang gốc", "Show the original page"),
    "ask.source_number": ("Nguồn số", "Source number"),
    "ask.no_page": ("Nguồn này không có số trang", "This source has no page number"),
    "ask.quoted": ("Câu trả lời liên quan được tô sáng.", "Answering sentences are highlighted."),
    "ask.superseded": ("Lưu ý: {note}", "Note: {note}"),
    "ask.empty": ("Hãy nhập câu hỏi.", "Please type a question."),
    "ask.no_docs": ("Chưa có tài liệu nào được nạp. Thư ký chi bộ nạp tài liệu ở thẻ Tài liệu.",
                    "No documents are loaded yet. A secretary can add them in the Documents tab."),
    "ask.mode.extractive": ("Trả lời bằng trích dẫn nguyên văn (mô hình hiện tại không viết tiếng Việt).",
                            "Answer built from verbatim quotes (the current model does not write Vietnamese)."),
    "ask.mode.generative": ("Trả lời do mô hình viết, đã đối chiếu với nguồn.",
                            "Answer written by the model and checked against the sources."),
    "ask.mode.refusal": ("Tài liệu không đủ căn cứ để trả lời.", "The documents do not answer this."),
    # documents
    "docs.upload": ("Chọn tệp để nạp (PDF, DOCX, TXT, MD, HTML)", "Files to add (PDF, DOCX, TXT, MD, HTML)"),
    "docs.ingest": ("Nạp tài liệu", "Add documents"),
    "docs.ingest_result": ("Kết quả nạp", "Ingest results"),
    "docs.no_files": ("Hãy chọn ít nhất một tệp.", "Choose at least one file."),
    "docs.summary": ("Nạp {ingested}, không đổi {unchanged}, bỏ qua {skipped}, lỗi {failed} — {seconds:.1f} giây",
                     "Added {ingested}, unchanged {unchanged}, skipped {skipped}, failed {failed} — {seconds:.1f} s"),
    "docs.progress.file": ("Đang nạp tệp {index}/{files}", "Adding file {index}/{files}"),
    "docs.progress.embed": ("Đang lập chỉ mục {done}/{total} đoạn", "Indexing {done}/{total} passages"),
    "docs.progress.start": ("Bắt đầu nạp {files} tệp", "Starting {files} files"),
    "docs.list": ("Tài liệu đã nạp", "Loaded documents"),
    "docs.filter": ("Tìm tài liệu (số hiệu, tên, mã)", "Find a document (number, title, id)"),
    "docs.refresh": ("Tìm / làm mới", "Search / refresh"),
    "docs.remove_id": ("Mã tài liệu cần gỡ", "Document id to remove"),
    "docs.remove": ("Gỡ tài liệu", "Remove document"),
    "docs.removed": ("Đã gỡ tài liệu '{doc_id}'.", "Removed '{doc_id}'."),
    "docs.detail": ("Thông tin và cảnh báo của tài liệu", "Document details and warnings"),
    "docs.none_selected": ("Hãy chọn tài liệu cần gỡ.", "Choose a document to remove."),
    "col.file": ("Tệp", "File"),
    "col.status": ("Kết quả", "Result"),
    "col.chunks": ("Số đoạn", "Passages"),
    "col.note": ("Ghi chú / cảnh báo", "Notes / warnings"),
    "col.id": ("Mã", "Id"),
    "col.number": ("Số hiệu", "Number"),
    "col.type": ("Loại", "Type"),
    "col.title": ("Tên", "Title"),
    "col.date": ("Ngày", "Date"),
    "col.pages": ("Trang", "Pages"),
    "col.articles": ("Điều", "Articles"),
    "col.warnings": ("Cảnh báo", "Warnings"),
    "status.ingested": ("đã nạp", "added"),
    "status.replaced": ("đã cập nhật", "updated"),
    "status.unchanged": ("không đổi", "unchanged"),
    "status.duplicate": ("trùng", "duplicate"),
    "status.skipped": ("bỏ qua", "skipped"),
    "status.failed": ("lỗi", "failed"),
    "status.removed": ("đã gỡ", "removed"),
    # drafting
    "draft.notes": ("Ghi chép cuộc họp (dán hoặc gõ)", "Meeting notes (paste or type)"),
    "draft.notes_placeholder": ("Ví dụ: Hồi 19h30 ngày 05/3/2026, tại nhà văn hóa ấp 3, chi bộ họp định kỳ…",
                                "e.g. At 19:30 on 5 March 2026 the cell held its regular meeting…"),
    "draft.notes_file": ("Hoặc tải tệp ghi chép (.txt, .md, .docx)", "Or upload a notes file"),
    "draft.empty": ("Hãy nhập ghi chép cuộc họp.", "Please enter the meeting notes."),
    "minutes.form": ("Thông tin bổ sung (ghi đè ghi chép)", "Extra details (override the notes)"),
    "minutes.number": ("Số biên bản", "Minutes number"),
    "minutes.date": ("Ngày họp (dd/mm/yyyy)", "Meeting date (dd/mm/yyyy)"),
    "minutes.chair": ("Chủ trì", "Chair"),
    "minutes.taker": ("Thư ký", "Minute-taker"),
    "minutes.build": ("Soạn biên bản", "Draft the minutes"),
    "minutes.preview": ("Xem trước biên bản (có thể sửa)", "Minutes preview (editable)"),
    "minutes.save": ("Tạo tệp DOCX từ bản đã sửa", "Make the DOCX from the edited text"),
    "minutes.record": ("Dữ liệu biên bản (YAML, sửa rồi bấm tạo lại DOCX)", "Meeting record (YAML, editable)"),
    "download": ("Tải về", "Download"),
    "summary.build": ("Tóm tắt", "Summarize"),
    "summary.decisions": ("Kết luận, quyết định", "Decisions"),
    "summary.tasks": ("Phân công nhiệm vụ", "Tasks"),
    "summary.votes": ("Biểu quyết", "Votes"),
    "col.what": ("Nội dung", "What"),
    "col.owner": ("Người thực hiện", "Owner"),
    "col.deadline": ("Thời hạn", "Deadline"),
    "col.question": ("Vấn đề biểu quyết", "Question"),
    "col.for": ("Tán thành", "For"),
    "col.against": ("Không tán thành", "Against"),
    "col.abstain": ("Không biểu quyết", "Abstain"),
    "col.out_of": ("Trên tổng số", "Out of"),
    "col.line": ("Dòng", "Line"),
    "report.month": ("Tháng báo cáo (YYYY-MM)", "Report month (YYYY-MM)"),
    "report.number": ("Số báo cáo (không bắt buộc)", "Report number (optional)"),
    "report.build": ("Soạn báo cáo", "Draft the report"),
    "report.preview": ("Xem trước báo cáo", "Report preview"),
    "bulletin.docs": ("Chọn tài liệu cho bản tin", "Documents for the bulletin"),
    "bulletin.minutes": ("Độ dài (phút)", "Length (minutes)"),
    "bulletin.build": ("Soạn và đọc bản tin", "Write and read the bulletin"),
    "bulletin.script": ("Lời bản tin", "Bulletin script"),
    "bulletin.audio": ("Nghe bản tin", "Listen"),
    "bulletin.no_docs": ("Hãy chọn ít nhất một tài liệu.", "Choose at least one document."),
    # system
    "system.refresh": ("Kiểm tra hệ thống", "Check the system"),
    "system.load_models": ("Nạp thử mô hình (chậm hơn)", "Load the models (slower)"),
    "system.checks": ("Kết quả kiểm tra", "Checks"),
    "system.llm": ("Mô hình ngôn ngữ: **{model}** (backend `{backend}`) — {capable}",
                   "Language model: **{model}** (backend `{backend}`) — {capable}"),
    "system.capable": ("viết được tiếng Việt cho người dùng", "may write Vietnamese for users"),
    "system.not_capable": ("không viết tiếng Việt: câu trả lời dùng trích dẫn nguyên văn",
                           "does not write Vietnamese: answers use verbatim quotes"),
    "system.embedder": ("Mô hình vector: **{model}**", "Embedding model: **{model}**"),
    "system.index": ("Chỉ mục: **{documents}** tài liệu, **{chunks}** đoạn", "Index: **{documents}** documents, "
                     "**{chunks}** passages"),
    "system.unavailable": ("không dùng được: {error}", "unavailable: {error}"),
    "system.drafting": ("Soạn thảo: {state}", "Drafting: {state}"),
    "system.settings": ("Cấu hình đang dùng (sửa trong settings.yaml)", "Effective settings (edit settings.yaml)"),
    "col.check": ("Thành phần", "Component"),
    "col.ok": ("Trạng thái", "Status"),
    "col.detail": ("Chi tiết", "Detail"),
    "col.hint": ("Cách sửa", "How to fix"),
    "check.ok": ("sẵn sàng", "ready"),
    "check.fail": ("lỗi", "failed"),
    "check.optional": ("chưa có (không bắt buộc)", "missing (optional)"),
    "users.title": ("Người dùng", "Users"),
    "users.name": ("Tên đăng nhập", "User name"),
    "users.role": ("Vai trò", "Role"),
    "users.password": ("Mật khẩu (ít nhất 8 ký tự)", "Password (8+ characters)"),
    "users.add": ("Thêm người dùng", "Add user"),
    "users.remove": ("Xóa người dùng", "Remove user"),
    "users.set_password": ("Đặt lại mật khẩu", "Set password"),
    "users.added": ("Đã thêm '{name}' ({role}).", "Added '{name}' ({role})."),
    "users.removed": ("Đã xóa '{name}'.", "Removed '{name}'."),
    "users.password_set": ("Đã đổi mật khẩu của '{name}'.", "Password of '{name}' changed."),
    "col.user": ("Người dùng", "User"),
    "col.role": ("Vai trò", "Role"),
    "col.created": ("Ngày tạo", "Created"),
    "audit.title": ("Nhật ký hoạt động (50 mục gần nhất)", "Activity log (last 50)"),
    "col.when": ("Thời điểm", "When"),
    "col.who": ("Ai", "Who"),
    "col.action": ("Hành động", "Action"),
    # errors
    "error.login": ("Phiên đăng nhập không hợp lệ. Hãy đăng nhập lại.", "Your session is not valid. Sign in again."),
    "error.role": ("Tài khoản '{name}' ({role}) không có quyền: {action}.",
                   "Account '{name}' ({role}) may not: {action}."),
    "error.unexpected": ("Đã xảy ra lỗi ngoài dự kiến ({kind}). Nội dung bạn nhập vẫn được giữ; hãy thử lại hoặc "
                         "báo quản trị viên.", "Unexpected error ({kind}). Your input is kept; try again or tell "
                         "the administrator."),
}


class Texts:
    """Look up interface strings in one language: ``t("docs.count", count=3)``."""

    def __init__(self, language: str = "vi") -> None:
        self.language = "en" if language == "en" else "vi"
        self._column = 1 if self.language == "en" else 0

    def __call__(self, key: str, **values: Any) -> str:
        text = STRINGS[key][self._column]
        return text.format(**values) if values else text

    def role(self, role: str | None) -> str:
        """A role's label in the interface language; an unknown role is shown as it is."""
        return self(f"role.{role}") if role in ("member", "secretary", "admin") else (role or "?")
