# Only what differs from Django's zh_Hans formats (fangkong/formats/__init__.py says why).
# Django's own third pattern, "%Y年%n月%j日", reads %j as the day of the year; %m and %d
# accept "9" as well as "09", so "2026年9月5日" parses here.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-09-05', what a date input sends and shows
    "%Y/%m/%d",  # '2026/09/05'
    "%Y年%m月%d日",  # '2026年9月5日'
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2026-09-05 20:45:29'
    "%Y-%m-%d %H:%M:%S.%f",  # '2026-09-05 20:45:29.000200'
    "%Y-%m-%d %H:%M",  # '2026-09-05 20:45'
    "%Y/%m/%d %H:%M:%S",  # '2026/09/05 20:45:29'
    "%Y/%m/%d %H:%M",  # '2026/09/05 20:45'
    "%Y年%m月%d日 %H:%M:%S",  # '2026年9月5日 20:45:29'
    "%Y年%m月%d日 %H:%M",  # '2026年9月5日 20:45'
]
