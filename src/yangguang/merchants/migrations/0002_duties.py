"""The three duties of the 门前三包 (each city's 市容环境卫生 rules word them alike): 一包
市容整洁, 二包 环境卫生, 三包 责任区设施、设备和绿地整洁. A bureau with 门前五包/六包 adds
its own (秩序, 绿化 …) in the back office."""

from django.db import migrations

DUTIES = [
    (
        "appearance",
        "市容整洁",
        "责任区内无乱设摊点、乱搭建、乱张贴、乱涂写、乱刻画、乱吊挂、乱堆放，不店外经营、不占道经营。",
        ["无店外经营、占道经营", "无乱堆放、乱吊挂", "无乱张贴、乱涂写", "无乱搭建、乱设摊点"],
    ),
    (
        "sanitation",
        "环境卫生",
        "责任区内无裸露垃圾、粪便、污水、污迹、渣土，无蚊蝇孳生地；垃圾分类投放、及时清扫保洁。",
        ["地面无垃圾、污水、污迹", "垃圾分类投放，容器整洁", "无油污、渣土"],
    ),
    (
        "facilities",
        "设施、绿化整洁",
        "责任区内设施、设备和绿地整洁完好，不损坏、不占用公共设施和绿地。",
        ["公共设施完好、无占用", "绿地无踩踏、无堆物", "门头招牌安全整洁"],
    ),
]


def create(apps, schema_editor):
    duty = apps.get_model("merchants", "Duty")
    for position, (code, name, description, checklist) in enumerate(DUTIES):
        duty.objects.create(
            code=code, name=name, description=description, checklist=checklist, position=position
        )


class Migration(migrations.Migration):
    dependencies = [("merchants", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
