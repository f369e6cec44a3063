"""Demo and benchmark data: a realistic 鲤城区 (Quanzhou, Fujian) written straight to the database.

`county.build(residents=N)` fills an EMPTY database with 福建省 → 泉州市 → 鲤城区 → streets →
communities and villages (at least three per street) → grids → buildings → households →
residents, plus workers, their roles and one login per role (see ACCOUNTS). It is
deterministic for a given seed.

Where the names come from:
- the province, city, county and the eight streets (街道) and their 12-digit codes are the
  real ones (统计用区划代码, 350502001–350502008);
- the community and village names are plausible local names, partly taken from public
  descriptions of the streets (e.g. 金龙街道's 金柄、玉霞、赤土…, 常泰街道's 华星、锦田…);
  whether each is a 社区 or a 村 and their code suffixes are NOT verified: codes are
  numbered in order (社区 from 001, 村 from 201) except 开元社区 = 350502004011, which is
  real. When more are needed than listed, further names are invented from common
  place-name characters; every code stays unique and well formed.
- workers: a supervisor per street and on the county, a community worker and a medical
  worker per community, a grid worker per grid (responsible for the grid's buildings), a
  system administrator on the province; a second login (`community2`) for the community
  worker of the first street's last community, where nobody is monitored (a zero report can
  be tried there). Workers holding a role on a grid belong to (have
  `area` =) the grid's community, as in tests/world.py; the role itself is on the grid.
- people are invented: Chinese names from common local surnames, ID numbers valid per
  GB 11643 (birth place codes valid for the birth year, so `stdnum.cn.ric` accepts them),
  mobile numbers for most people aged 14 and over.

It writes rows straight to the tables (`fangkong/demo/writer.py`; no per-row services) so
that 10⁶ residents take minutes; it sets the area paths, the lookup digests and tails, the
pinyin initials, sex and birth date itself. What a grid worker would have recorded since —
statuses, key-group tags, dismissed suggestions, responsible workers — is described in
`fangkong/demo/registry.py`; the health monitoring of the last 60 days (plans, checks,
alerts) in `fangkong/demo/monitoring.py`.
"""
