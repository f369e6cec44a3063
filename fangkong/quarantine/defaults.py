"""The period's quarantine rules (疫情防控方案第九版) and the monitoring categories a
quarantine's checks run under. Stored as data: an administrator changes a rule in the admin
and every quarantine started afterwards follows it; one already started keeps its dates.
Made by migration and again after every `migrate` or `flush` (post_migrate)."""

RULES = [
    # category, name, central days, home days, monitoring days, test days, position
    ("close_contact", "密切接触者", 7, 0, 3, [1, 2, 3, 5, 7], 0),
    ("secondary_contact", "次密切接触者", 0, 7, 0, [1, 4, 7], 1),
    ("arrival", "入境及中高风险地区来返人员", 0, 7, 0, [1, 4, 7], 2),
    ("verification", "协查核查人员", 0, 0, 7, [1, 3, 7], 3),
]
# Quarantine kind -> (monitoring category code, name, checks a day)
MONITORING_CATEGORIES = {
    "central": ("quarantine_central", "集中隔离医学观察", 2),
    "home": ("quarantine_home", "居家隔离医学观察", 2),
    "monitoring": ("home_health_monitoring", "居家健康监测", 2),
}


def seed_defaults(Rule, Category, Symptom):
    """Add the rules and monitoring categories that are missing; change none that exist."""
    for category, name, central, home, monitoring, tests, position in RULES:
        Rule.objects.get_or_create(
            category=category,
            defaults={
                "name": name,
                "central_days": central,
                "home_days": home,
                "monitoring_days": monitoring,
                "test_days": tests,
                "position": position,
            },
        )
    symptoms = list(Symptom.objects.all())
    for i, (code, name, per_day) in enumerate(MONITORING_CATEGORIES.values()):
        category, created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "default_days": 7,
                "checks_per_day": per_day,
                "position": 20 + i,
            },
        )
        if created:
            category.symptoms.set(symptoms)
