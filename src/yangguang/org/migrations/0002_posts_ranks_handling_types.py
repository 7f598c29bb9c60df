from django.db import migrations

from yangguang.org import reference_data


def load(apps, schema_editor):
    reference_data.load_posts(apps.get_model("org", "Post"))
    reference_data.load_ranks(apps.get_model("org", "Rank"))
    reference_data.load_handling_unit_types(apps.get_model("org", "HandlingUnitType"))


def unload(apps, schema_editor):
    apps.get_model("org", "Post").objects.all().delete()
    apps.get_model("org", "Rank").objects.filter(
        name__in=[name for name, _category in reference_data.RANKS]
    ).delete()
    apps.get_model("org", "HandlingUnitType").objects.filter(
        code__in=[code for code, _name, _desc in reference_data.HANDLING_UNIT_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_organisation_tree_staff_posts")]
    operations = [migrations.RunPython(load, unload)]
