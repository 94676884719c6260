"""The ``frontdoor`` command as an admin or an operator meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.harness import CATALOGUE, ROOT


def frontdoor(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    full_env["PYTHONPATH"] = str(ROOT)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=full_env,
        cwd=cwd, timeout=timeout, check=False,
    )


def test_check_accepts_the_shipped_catalogue_with_a_summary() -> None:
    result = frontdoor("check", str(CATALOGUE))
    assert result.returncode == 0, result.stderr
    assert "5 stations" in result.stdout
    assert "categories" in result.stdout
    assert "services" in result.stdout


def test_check_names_line_and_field_of_each_error(tmp_path: Path) -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    broken = text.replace("stations: [bio-park, materials-park, robot-park, university-park]",
                          "stations: [bio-park, materials-park, robot-prk, university-park]", 1)
    broken = broken.replace('start: "09:00"', 'start: "25:00"', 1)
    target = tmp_path / "catalogue.yaml"
    target.write_text(broken, encoding="utf-8")
    rows = list(enumerate(broken.splitlines(), 1))
    line = next(i for i, row in rows if row.strip().startswith("stations:") and "robot-prk" in row)
    time_line = next(i for i, row in rows if '"25:00"' in row)
    result = frontdoor("check", str(target))
    assert result.returncode == 1
    assert f"catalogue.yaml:{line}: services[" in result.stderr
    assert "unknown station 'robot-prk' (did you mean 'robot-park'?)" in result.stderr
    assert f"catalogue.yaml:{time_line}: stations[0].windows[0].start: '25:00'" in result.stderr


def test_run_without_a_token_exits_with_one_clear_line(tmp_path: Path) -> None:
    result = frontdoor("run", env={"FRONTDOOR_CATALOGUE": str(CATALOGUE)}, cwd=tmp_path)
    assert result.returncode == 2
    assert "FRONTDOOR_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_run_with_an_unreadable_catalogue_exits_with_one_clear_line(tmp_path: Path) -> None:
    result = frontdoor("run", env={"FRONTDOOR_BOT_TOKEN": "1:x",
                                   "FRONTDOOR_CATALOGUE": str(tmp_path / "missing.yaml")},
                       cwd=tmp_path)
    assert result.returncode == 2
    assert "catalogue not usable" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    db = tmp_path / "fd.db"
    result = frontdoor("migrate", env={"FRONTDOOR_DATABASE_URL": f"sqlite+aiosqlite:///{db}"},
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    import sqlite3

    tables = {r[0] for r in sqlite3.connect(db).execute("select name from sqlite_master")}
    assert {"companies", "users", "dialogs", "outbox", "alembic_version"} <= tables


def test_webhook_mode_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    """Without the secret anyone who can reach the URL could post updates in an admin's name."""
    env = {
        "FRONTDOOR_BOT_TOKEN": "123456:" + "x" * 35,
        "FRONTDOOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        "FRONTDOOR_CATALOGUE": str(CATALOGUE),
        "FRONTDOOR_WEBHOOK_URL": "https://bot.example.org/frontdoor",
    }
    result = frontdoor("run", env=env)
    assert result.returncode == 2
    assert "FRONTDOOR_WEBHOOK_SECRET is required in webhook mode" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    weak = frontdoor("run", env={**env, "FRONTDOOR_WEBHOOK_SECRET": "short"})
    assert weak.returncode == 2
    assert "16 to 256 characters" in weak.stderr


def test_check_lists_placeholders_as_warnings_and_still_exits_0() -> None:
    """The shipped file marks unknown addresses and phones 待补充: each is named, none fails."""
    result = frontdoor("check", str(CATALOGUE))
    assert result.returncode == 0, result.stderr
    rows = list(enumerate(CATALOGUE.read_text(encoding="utf-8").splitlines(), 1))
    phone_lines = [i for i, row in rows if row.strip() == "phone: 待补充"]
    assert phone_lines, "the shipped stations' phones are placeholders"
    warned = result.stderr.splitlines()
    first = f"catalogue.yaml:{phone_lines[0]}: stations[0].phone: warning: "
    assert any(first in row for row in warned), result.stderr
    assert sum(": warning: " in row and ".phone:" in row for row in warned) == len(phone_lines)
    assert f"({len(warned)} warnings)" in result.stdout


def test_check_refuses_bad_office_hours_at_their_line(tmp_path: Path) -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    broken = text.replace('    mon-fri: "09:00-17:00"', '    mon-fri: "09:00-1700"', 1)
    broken = broken.replace("    phone: 待补充\n",
                            '    phone: 待补充\n    hours: {sat: "09:00-12:00"}\n', 1)
    target = tmp_path / "catalogue.yaml"
    target.write_text(broken, encoding="utf-8")
    rows = list(enumerate(broken.splitlines(), 1))
    default_line = next(i for i, row in rows if '"09:00-1700"' in row)
    station_line = next(i for i, row in rows if "{sat:" in row)
    result = frontdoor("check", str(target))
    assert result.returncode == 1
    assert (f"catalogue.yaml:{default_line}: defaults.hours.mon-fri: '09:00-1700' is not a "
            "time span") in result.stderr
    assert (f"catalogue.yaml:{station_line}: stations[0].hours.sat: must be Monday to Friday"
            in result.stderr)
    assert "warning" not in result.stderr  # errors first: the file is not in service


def test_a_second_process_on_the_same_sqlite_file_is_refused_with_one_line(
        tmp_path: Path) -> None:
    db = tmp_path / "frontdoor.db"
    url = f"sqlite+aiosqlite:///{db}"
    script = ("import time\n"
              "from storage.core.db import claim_sqlite\n"
              f"claim = claim_sqlite({url!r})\n"
              "print('serving', flush=True)\n"
              "time.sleep(60)\n")
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "serving"
            result = frontdoor("run", env={"FRONTDOOR_BOT_TOKEN": "1:x",
                                           "FRONTDOOR_CATALOGUE": str(CATALOGUE),
                                           "FRONTDOOR_DATABASE_URL": url}, cwd=tmp_path)
        finally:
            holder.kill()
    assert result.returncode == 2
    assert "SQLite serves one process" in result.stderr
    assert "PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # Once the first process is gone (killed, even), the file is free again.
    from storage.core.db import claim_sqlite

    claim = claim_sqlite(url)
    assert claim is not None
    claim.close()
