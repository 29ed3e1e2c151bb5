"""The packaged Vietnamese writer (Qwen2.5-Coder-1.5B-Instruct) proposing a record from short notes, for real.

One short note, one model call (about a minute on 2 busy cores): the answer must parse under the schema, and
whatever the model says, nothing the notes do not give reaches the record.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.drafting.notes.extract import extract_record
from assistant.drafting.notes.numbers import fold
from assistant.drafting.notes.propose import propose_record
from assistant.errors import AssistantError
from assistant.prompts import load_prompt
from tests.conftest import REAL_MODELS_DIR

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOTES = """Chi bộ ấp Tân Hòa
Họp ngày 08/01/2026 lúc 19h30 tại nhà văn hóa ấp.
Đồng chí Hà Văn Long chủ trì. Trần Thị Thoa ghi chép.
Có mặt 21, vắng 3.
Biểu quyết: 21/21 tán thành. Kết thúc 21h.
"""


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from assistant.llm import create_llm, packaged
    from assistant.llm.capabilities import writes
    from assistant.settings import load_settings

    try:
        path = packaged.verify(packaged.QWEN_CODER_1_5B, REAL_MODELS_DIR)
    except AssistantError as exc:
        pytest.fail(f"the packaged writer is not installed: {exc}")
    settings = load_settings(overrides={"data_dir": str(tmp_path_factory.mktemp("data")), "llm": {
        "backend": "embedded", "embedded": {"model_path": str(path)}}}, environ={})
    llm = create_llm(settings)
    assert writes(llm)
    yield llm


def test_the_writer_fills_gaps_only_from_the_notes(writer: Any, no_network: Any) -> None:
    record = extract_record(NOTES).record
    assert record.secretary is None and record.attendance.total is None  # gaps the rules leave
    proposal = propose_record(record, NOTES.split("\n"), writer, load_prompt("notes_record"), mode="gaps",
                              max_tokens=300)
    assert proposal.calls == 1 and proposal.error == "", proposal.error
    assert "secretary" in proposal.asked and "total" in proposal.asked
    # The notes give no total, no full or probationary members and no parent: nothing may come of them.
    att = record.attendance
    assert (att.total, att.full, att.probationary, att.exempt) == (None, None, None, None)
    assert record.parent == ""
    # What was accepted is in the notes, on the line it names.
    lines = NOTES.split("\n")
    if record.secretary is not None:
        assert fold(record.secretary.name) in fold(lines[record.secretary.line - 1])
    for name, value in proposal.accepted.items():
        assert "(dòng " in value, (name, value)
    # The rules' own values stay.
    assert record.chair is not None and record.chair.name == "Hà Văn Long"
    assert (att.present, att.absent_count) == (21, 3)
