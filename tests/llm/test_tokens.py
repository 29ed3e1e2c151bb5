import os
from pathlib import Path

import pytest

from assistant.llm import tokens


def test_o200k_is_provisioned_from_package_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_network) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    tokens.get_encoding.cache_clear()
    target = tokens.provision_encoding("o200k_base")
    assert target.parent == tmp_path and target.stat().st_size > 1_000_000
    assert os.environ["TIKTOKEN_CACHE_DIR"] == str(tmp_path)
    n = tokens.count_tokens("Đảng viên phải cài đặt ứng dụng Sổ tay đảng viên điện tử.")
    assert 5 < n < 40
    tokens.get_encoding.cache_clear()
