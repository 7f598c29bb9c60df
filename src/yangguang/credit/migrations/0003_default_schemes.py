"""The schemes a new bureau starts with: A/B/C/D on 1,000 points a year (active) and
1–5 stars (for a bureau that rates by stars). Figures are configuration, not law
(docs/merchants.md)."""

from django.db import migrations

DEFAULT = {
    "base_points": 1000,
    "points": {
        "report_verified": -20,
        "inspection_failed": -10,
        "rectification_overdue": -50,
        "penalty_decided": {"minor": -50, "general": -100, "serious": -200, "grave": -300},
        "corrected_on_time": 5,
        "commendation": 50,
        "volunteering": 10,
        "civilised_title": 100,
    },
    "dishonesty": {
        "report_verified": "general",
        "rectification_overdue": "general",
        "penalty_decided": {
            "minor": "general",
            "general": "general",
            "serious": "serious",
            "grave": "serious",
        },
    },
    "bands": [
        {
            "grade": "A",
            "label": "A 诚信",
            "min_points": 950,
            "patrols_per_month": 1,
            "triggers": "免于日常检查以外的专项检查；优先推荐文明商家",
        },
        {
            "grade": "B",
            "label": "B 良好",
            "min_points": 850,
            "patrols_per_month": 2,
            "triggers": "常规巡查",
        },
        {
            "grade": "C",
            "label": "C 警示",
            "min_points": 700,
            "patrols_per_month": 4,
            "triggers": "约谈提醒，重点巡查",
        },
        {
            "grade": "D",
            "label": "D 失信",
            "min_points": None,
            "patrols_per_month": 8,
            "triggers": "重点督查，列入重点监管名单",
        },
    ],
    "repair_months": {"general": 3, "serious": 6},
    "self_correction_exempt": True,
    "report_categories": ["09005", "09006"],
    "red_list": {"grades": ["A"]},
    "black_list": {"serious_events": 1, "months": 12},
}

STARS = {
    "base_points": 1000,
    "points": {
        "report_verified": -20,
        "inspection_failed": -10,
        "rectification_overdue": -50,
        "penalty_decided": {"minor": -50, "general": -100, "serious": -200, "grave": -300},
        "corrected_on_time": 5,
        "commendation": 50,
        "volunteering": 10,
        "civilised_title": 100,
    },
    "dishonesty": {
        "report_verified": "general",
        "rectification_overdue": "general",
        "penalty_decided": {
            "minor": "general",
            "general": "general",
            "serious": "serious",
            "grave": "serious",
        },
    },
    "bands": [
        {
            "grade": "5",
            "label": "★★★★★",
            "min_points": 1000,
            "patrols_per_month": 1,
            "triggers": "租金减免、优先选位、帮办代办",
        },
        {
            "grade": "4",
            "label": "★★★★",
            "min_points": 950,
            "patrols_per_month": 1,
            "triggers": "帮办代办",
        },
        {
            "grade": "3",
            "label": "★★★",
            "min_points": 850,
            "patrols_per_month": 2,
            "triggers": "常规巡查",
        },
        {
            "grade": "2",
            "label": "★★",
            "min_points": 700,
            "patrols_per_month": 4,
            "triggers": "约谈提醒",
        },
        {
            "grade": "1",
            "label": "★",
            "min_points": None,
            "patrols_per_month": 8,
            "triggers": "调整摊位或清退",
        },
    ],
    "repair_months": {"general": 3, "serious": 6},
    "self_correction_exempt": True,
    "report_categories": ["09005", "09006"],
    "red_list": {"grades": ["5", "4"]},
    "black_list": {"serious_events": 1, "months": 12},
}


def create(apps, schema_editor):
    from django.utils import timezone

    scheme = apps.get_model("credit", "CreditScheme")
    now = timezone.now()
    scheme.objects.create(
        code="abcd",
        version=1,
        name="沿街商户信用等级（A/B/C/D）",
        rules=DEFAULT,
        active=True,
        note="默认方案",
        created_at=now,
    )
    scheme.objects.create(
        code="stars",
        version=1,
        name="诚信星级（1–5星）",
        rules=STARS,
        active=False,
        note="默认方案",
        created_at=now,
    )


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
