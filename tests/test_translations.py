"""zh-hans is the default language and must be complete: every marked string translated."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale") / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_user_facing_string_has_a_chinese_translation(tmp_path):
    # Extract the strings of the current code into a copy of the catalogue, as `make messages`
    # does, in a copy of the sources (so the real catalogue is never touched), and ask msgfmt
    # whether anything is untranslated or fuzzy.
    shutil.copytree(
        ROOT / "fangkong", tmp_path / "fangkong", ignore=shutil.ignore_patterns("locale")
    )
    (tmp_path / CATALOGUE).parent.mkdir(parents=True)
    shutil.copy(ROOT / "fangkong" / CATALOGUE, tmp_path / CATALOGUE)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=True,
    )
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(tmp_path / CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
        f"{result.stderr.strip()}: run `make messages` and translate the new strings"
    )
