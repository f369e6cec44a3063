"""The categories of the notices (GLOSSARY.md) and the symptoms a check asks about.

Names are stored in Chinese, the language the records are kept in; an administrator may
rename them or add more in the admin. Made by migration 0002 and again after every
`migrate` or `flush` (post_migrate), so a database emptied by tests gets them back.
"""

SYMPTOMS = [
    ("cough", "干咳"),
    ("fatigue", "乏力"),
    ("sore_throat", "咽痛"),
    ("smell_taste", "嗅觉味觉减退"),
    ("stuffy_nose", "鼻塞流涕"),
    ("conjunctivitis", "结膜炎"),
    ("myalgia", "肌痛"),
    ("diarrhoea", "腹泻"),
    ("breathless", "呼吸困难"),
]
CATEGORIES = [
    # code, name, days, checks a day
    ("cold_chain", "进口冷链从业人员", 14, 1),
    ("returnee", "返乡人员", 14, 1),
    ("from_risk_area", "中高风险地区来(返)人员", 14, 2),
    ("inbound", "入境人员", 14, 2),
    ("released_observation", "解除医学观察人员", 14, 1),
    ("recovered", "治愈出院患者", 14, 1),
]


def seed_defaults(Symptom, Category):
    """Add the default symptoms and categories that are missing; change none that exist."""
    symptoms = [
        Symptom.objects.get_or_create(code=code, defaults={"name": name, "position": i})[0]
        for i, (code, name) in enumerate(SYMPTOMS)
    ]
    for i, (code, name, days, per_day) in enumerate(CATEGORIES):
        category, created = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "default_days": days, "checks_per_day": per_day, "position": i},
        )
        if created:
            category.symptoms.set(symptoms)
