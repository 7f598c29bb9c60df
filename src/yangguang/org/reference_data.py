"""National defaults loaded by data migrations: posts, ranks, handling-unit types.

Migrations call these with historical models (``apps.get_model``), so the functions take
the model classes as arguments and use nothing else from the application.
"""

from yangguang.org.enums import DEFAULT_POST_SCOPES

HANDLING_UNIT_TYPES = [
    ("municipal", "市政", "道路、桥梁、排水、路灯等市政设施的主管或养护单位"),
    ("landscape", "园林绿化", "绿地、行道树、公园设施的主管或养护单位"),
    ("sanitation", "环境卫生", "道路保洁、垃圾收运、公厕的主管或作业单位"),
    ("traffic", "交通", "交通标志、信号、护栏、停车设施的主管单位"),
    ("water", "水务", "河道、堤岸、供排水管网的主管单位"),
    ("utility", "公用事业权属单位", "供电、燃气、通信、热力等设施的权属单位"),
    ("construction", "建设工地监管", "施工工地、渣土运输的主管单位"),
    ("enforcement", "执法中队", "城管执法中队，处理街面秩序、广告、违法行为"),
    ("illegal_building", "违法建设治理", "违法建设治理办公室（违建办）"),
    ("fume", "餐饮油烟治理", "餐饮油烟治理办公室（油烟办）"),
    ("locality", "属地街道", "事件先属地：由事发地街道、社区处置"),
]

# 行政执法类 ranks as used in the bureaus of the seed articles (一级至七级执法员);
# bureaus add or rename ranks in the admin.
RANKS = [(f"{numeral}级执法员", "行政执法类") for numeral in "一二三四五六七"] + [
    ("执法辅助人员", "辅助人员（无执法权）"),
]


def load_posts(Post) -> None:  # noqa: N803 - a model class
    for code, scope in DEFAULT_POST_SCOPES.items():
        Post.objects.get_or_create(code=str(code), defaults={"data_scope": str(scope)})


def load_ranks(Rank) -> None:  # noqa: N803
    for order, (name, category) in enumerate(RANKS, start=1):
        Rank.objects.get_or_create(name=name, defaults={"category": category, "sort_order": order})


def load_handling_unit_types(HandlingUnitType) -> None:  # noqa: N803
    for code, name, description in HANDLING_UNIT_TYPES:
        HandlingUnitType.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
