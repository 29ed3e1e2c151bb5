"""Vietnamese for the words Gradio's own components print ("Drop File Here", "Error", "In queue").

Gradio 6.31 ships no Vietnamese locale and picks its words by the browser's language, falling back to
English. Custom translations (``gr.I18n``) are merged into its dictionaries, and a flat dotted key
("upload_text.drop_file") is looked up before the built-in nested one, so giving every locale Gradio
knows these flat keys shows Vietnamese whatever language the phone or browser is set to.
"""

from __future__ import annotations

from typing import Any

# Gradio's built-in translation keys (frontend lang/en.json) that can appear in this app, in Vietnamese.
VIETNAMESE: dict[str, str] = {
    "common.built_with": "dựng bằng",
    "common.built_with_gradio": "Dựng bằng Gradio",
    "common.clear": "Xóa",
    "common.complete": "Xong",
    "common.download": "Tải về",
    "common.download_all": "Tải tất cả",
    "common.edit": "Sửa",
    "common.empty": "Trống",
    "common.error": "Lỗi",
    "common.loading": "Đang tải",
    "common.or": "hoặc",
    "common.remove": "Bỏ",
    "common.settings": "Cài đặt",
    "common.share": "Chia sẻ",
    "common.submit": "Gửi",
    "common.undo": "Hoàn tác",
    "common.no_devices": "Không tìm thấy thiết bị",
    "common.language": "Ngôn ngữ",
    "common.display_theme": "Giao diện",
    "common.progress": "Tiến độ",
    "common.record": "Ghi",
    "common.stop_recording": "Dừng ghi",
    "common.run": "Chạy",
    "upload_text.click_to_upload": "Bấm để chọn tệp",
    "upload_text.drop_audio": "Thả tệp âm thanh vào đây",
    "upload_text.drop_csv": "Thả tệp CSV vào đây",
    "upload_text.drop_file": "Thả tệp vào đây",
    "upload_text.drop_image": "Thả ảnh vào đây",
    "upload_text.drop_video": "Thả video vào đây",
    "upload_text.drop_gallery": "Thả tệp vào đây",
    "upload_text.paste_clipboard": "Dán từ bộ nhớ tạm",
    "file.uploading": "Đang tải tệp lên…",
    "status.queue_position": "Đang chờ: vị trí {position}/{size}",
    "blocks.connection_can_break": "Trên điện thoại, kết nối có thể ngắt khi chuyển sang ứng dụng khác hoặc màn hình "
                                   "tắt; khi đó phải gửi lại yêu cầu.",
    "blocks.long_requests_queue": "Đang có nhiều yêu cầu chờ xử lý, xin đợi một lát.",
    "blocks.lost_connection": "Mất kết nối do rời trang. Đang kết nối lại…",
    "blocks.waiting_for_inputs": "Đang chờ tải tệp lên xong, hãy thử lại.",
    "audio.audio": "Âm thanh",
    "audio.drop_to_upload": "Thả tệp âm thanh vào đây",
    "audio.play": "Phát",
    "audio.pause": "Tạm dừng",
    "audio.stop": "Dừng",
    "audio.resume": "Tiếp tục",
    "audio.waiting": "Đang chờ",
    "audio.record": "Ghi âm",
    "chatbot.copy_message": "Chép câu trả lời",
    "chatbot.copied_message": "Đã chép",
    "chatbot.clear": "Xóa",
    "chatbot.edit": "Sửa",
    "chatbot.retry": "Hỏi lại",
    "chatbot.undo": "Hoàn tác",
    "chatbot.submit": "Gửi",
    "chatbot.cancel": "Hủy",
    "chatbot.like": "Thích",
    "chatbot.dislike": "Không thích",
    "chatbot.complete": "Xong",
    "chat_interface.chatbot": "Hỏi đáp",
    "chat_interface.conversation": "Cuộc hỏi đáp",
    "chat_interface.message_placeholder": "Nhập câu hỏi…",
    "dataframe.new_column": "Thêm cột",
    "dataframe.new_row": "Thêm dòng",
    "dataframe.add_row_above": "Thêm dòng phía trên",
    "dataframe.add_row_below": "Thêm dòng phía dưới",
    "dataframe.delete_row": "Xóa dòng",
    "dataframe.delete_column": "Xóa cột",
    "dataframe.add_column_left": "Thêm cột bên trái",
    "dataframe.add_column_right": "Thêm cột bên phải",
    "dataframe.sort_column": "Sắp xếp cột",
    "dataframe.sort_ascending": "Sắp xếp tăng dần",
    "dataframe.sort_descending": "Sắp xếp giảm dần",
    "dataframe.clear_sort": "Bỏ sắp xếp",
    "dataframe.filter": "Lọc",
    "dataframe.clear_filter": "Bỏ lọc",
    "dataframe.drop_to_upload": "Thả tệp CSV vào đây",
    "dataframe.incorrect_format": "Sai định dạng: chỉ nhận tệp CSV hoặc TSV",
    "dropdown.dropdown": "Danh sách chọn",
    "checkbox.checkbox": "Ô chọn",
    "code.code": "Mã",
    "number.number": "Số",
    "slider.slider": "Thanh trượt",
    "image.image": "Ảnh",
    "image.drop_to_upload": "Thả ảnh vào đây",
    "image.remove_image": "Bỏ ảnh",
    "label.label": "Nhãn",
    "login.login": "Đăng nhập",
    "login.username": "Tên đăng nhập",
    "login.password": "Mật khẩu",
    "login.incorrect_credentials": "Sai tên đăng nhập hoặc mật khẩu",
    "errors.use_via_api": "Dùng qua API",
    "video.drop_to_upload": "Thả video vào đây",
}

# Every locale Gradio 6.31 ships (frontend lang/*.json): a browser in any of them sees the same words.
GRADIO_LOCALES = ("ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "ja", "ko", "lt",
                  "nb", "nl", "pl", "pt-BR", "pt", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz", "zh-CN",
                  "zh-TW", "vi")


def translations(language: str) -> dict[str, dict[str, str]]:
    """Per-locale overrides of Gradio's own words for an interface in ``language`` (none for English)."""
    if language == "en":
        return {}
    return {locale: dict(VIETNAMESE) for locale in GRADIO_LOCALES}


def gradio_i18n(language: str) -> Any:
    """A ``gr.I18n`` carrying :func:`translations`, for ``launch(i18n=...)`` / ``mount_gradio_app(i18n=...)``."""
    import gradio as gr

    return gr.I18n(**translations(language))
