"""docs/roles.md's role x permission table says what `fangkong.permissions` grants."""

import re
from pathlib import Path

from fangkong.areas.models import RoleKind
from fangkong.permissions import all_permissions, permissions_of

ROLES_DOC = Path(__file__).resolve().parent.parent / "docs" / "roles.md"
CELL = re.compile(r"`([a-z_]+(?:\.[a-z_]+)?)`")


def permission_table():
    """{role kind: set of permissions} and {permission: 中文} as docs/roles.md tells them."""
    kinds, granted, described = None, {}, {}
    for line in ROLES_DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "permission":
            kinds = [CELL.fullmatch(cell).group(1) for cell in cells[2:]]
            granted = {kind: set() for kind in kinds}
            continue
        if kinds is None or not CELL.fullmatch(cells[0]) or "." not in cells[0]:
            continue
        perm = CELL.fullmatch(cells[0]).group(1)
        assert perm not in described, f"{perm} is in the table twice"
        described[perm] = cells[1]
        assert len(cells) == len(kinds) + 2, f"the row of {perm} has the wrong number of cells"
        for kind, mark in zip(kinds, cells[2:], strict=True):
            assert mark in ("", "✓"), f"{perm}/{kind}: mark a grant with ✓, nothing else"
            if mark:
                granted[kind].add(perm)
    assert kinds is not None, "docs/roles.md has no '| permission | 中文 | …' table"
    return granted, described


def test_the_table_has_a_column_for_every_role_kind():
    granted, _described = permission_table()
    assert list(granted) == [kind.value for kind in RoleKind]


def test_the_table_lists_every_permission_an_app_grants_with_a_chinese_description():
    _granted, described = permission_table()
    assert set(described) == set(all_permissions())
    for perm, text in described.items():
        assert re.search(r"[\u4e00-\u9fff]", text), f"{perm} has no Chinese description"


def test_each_role_kind_has_exactly_the_permissions_the_table_marks():
    granted, _described = permission_table()
    for kind in RoleKind:
        assert granted[kind.value] == set(permissions_of(kind)), kind.value


def test_the_doc_points_at_the_files_that_grant():
    text = ROLES_DOC.read_text(encoding="utf-8")
    assert "fangkong/<app>/permissions.py" in text
    for name in re.findall(r"`(fangkong/[\w/]+\.py)`", text):
        assert (ROLES_DOC.parent.parent / name).exists(), name
