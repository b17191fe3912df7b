"""Button data: within 64 bytes, and anything forged or garbled decodes to None."""

from __future__ import annotations

import os

import pytest

from tests.support import callback_data as cd


def test_round_trip() -> None:
    data = cd.encode("ro", "g", 482, "sec")
    assert data == "1ro:g:482:sec"
    decoded = cd.decode(data)
    assert decoded == cd.Data("ro", "g", ("482", "sec"))
    assert decoded.int_arg(0) == 482
    assert decoded.int_arg(1) is None  # "sec" is not an id
    assert decoded.int_arg(5) is None


@pytest.mark.parametrize(
    "raw",
    [None, "", "garbage", "2ro:g:1", "1ro", "1ro:g:1;drop", "1" + "a" * 70, "1ro:g:<b>", "1:x"],
)
def test_garbage_decodes_to_none(raw: str | None) -> None:
    assert cd.decode(raw) is None


def test_random_bytes_never_crash() -> None:
    for _ in range(500):
        raw = os.urandom(64).decode("latin-1")
        result = cd.decode(raw)
        assert result is None or result.domain


def test_encode_refuses_what_telegram_would() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        cd.encode("ro", "g", *["x" * 20] * 3)
    with pytest.raises(ValueError):
        cd.encode("ro", "g", "中文")
