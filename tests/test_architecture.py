"""The floor plan holds: the import contracts in pyproject.toml, and no registration on import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept() -> None:
    """storage → nothing above it; the domain → no Telegram; features → only exported names."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_importing_every_module_registers_nothing() -> None:
    """Two feature tables built one after the other are equal and separate: nothing is shared
    between them through a module-level registry."""
    from bot.app import build_features

    first, second = build_features(), build_features()
    assert set(first.commands) == set(second.commands)
    assert {"start", "new", "book", "reload"} <= set(first.commands)
    assert set(first.flows) == {"onb", "req", "rqadd", "rqpick", "rqrate", "ask", "bk", "ev",
                                  "notice"}
    assert first.jobs == second.jobs
    assert first.flows["bk"] is not second.flows["bk"]
    first.commands.clear()
    assert second.commands, "the tables must not be shared"


def test_every_callback_prefix_is_distinct() -> None:
    """No payload can be taken by two features' handlers."""
    from bot.core.payloads import ALL

    for prefix in ALL:
        others = [p for p in ALL if p != prefix]
        assert not any(prefix.startswith(o) or o.startswith(prefix) for o in others), prefix
