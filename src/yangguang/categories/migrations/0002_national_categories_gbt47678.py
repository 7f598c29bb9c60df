from django.db import migrations

from yangguang.categories import reference_data


def load(apps, schema_editor):
    reference_data.load_national_categories(
        apps.get_model("categories", "CategoryStandard"),
        apps.get_model("categories", "Category"),
        apps.get_model("org", "HandlingUnitType"),
    )


def unload(apps, schema_editor):
    Standard = apps.get_model("categories", "CategoryStandard")
    Category = apps.get_model("categories", "Category")
    Category.objects.filter(standard__code=reference_data.NATIONAL_STANDARD).delete()
    Standard.objects.filter(code=reference_data.NATIONAL_STANDARD).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("categories", "0001_category_code_sets"),
        ("org", "0002_posts_ranks_handling_types"),
    ]
    operations = [migrations.RunPython(load, unload)]
