"""The demo bureau's public profile and its 随机抽查事项清单 (事前公开), through the same
services as the system administrator's pages: version 1 half a year ago, version 2 a
month ago (one item added, one changed). Nothing personal: the bureau's own contacts
(12319 is the national city-management hotline)."""

import datetime

from yangguang.cases.identity import generate_credit_code
from yangguang.disclosure.before import bureau_profile_save, list_version_publish
from yangguang.disclosure.enums import ListKind
from yangguang.org.enums import PostCode
from yangguang.org.models import User

BUREAU = "阳光区综合行政执法局"

ADVERTISING = {
    "item": "户外广告设施设置情况检查",
    "category": "一般",
    "target": "户外广告设施设置单位",
    "basis": "《城市市容和环境卫生管理条例》第十一条",
    "authority": BUREAU,
    "content": "是否经批准设置；是否按批准的内容、位置设置；设施是否安全、整洁",
    "method": "现场检查",
    "frequency": "每年抽查比例不低于5%，不少于1次",
}
ITEMS_V1 = [
    ADVERTISING,
    {
        "item": "建筑工地扬尘污染防治检查",
        "category": "重点",
        "target": "在建房屋建筑和市政工程施工单位",
        "basis": "《中华人民共和国大气污染防治法》第六十九条",
        "authority": BUREAU,
        "content": "围挡、物料覆盖、车辆冲洗、密闭运输等防尘措施",
        "method": "现场检查",
        "frequency": "每年抽查比例不低于10%，不少于2次",
    },
    {
        "item": "餐饮服务业油烟排放检查",
        "category": "一般",
        "target": "排放油烟的餐饮服务经营者",
        "basis": "《中华人民共和国大气污染防治法》第八十一条",
        "authority": BUREAU,
        "content": "油烟净化设施的安装及正常使用",
        "method": "现场检查、查阅资料",
        "frequency": "每年抽查比例不低于5%，不少于1次",
    },
    {
        "item": "建筑垃圾运输处置检查",
        "category": "重点",
        "target": "建筑垃圾运输单位",
        "basis": "《城市建筑垃圾管理规定》第十四条",
        "authority": BUREAU,
        "content": "处置核准手续、密闭运输、按规定时间和路线运输",
        "method": "现场检查、查阅资料",
        "frequency": "每年抽查比例不低于10%，不少于2次",
    },
]
ITEMS_V2 = [
    {**ADVERTISING, "frequency": "每年抽查比例不低于10%，不少于2次"},
    *ITEMS_V1[1:],
    {
        "item": "生活垃圾分类投放管理检查",
        "category": "一般",
        "target": "机关、企事业单位及物业服务企业",
        "basis": "《城市生活垃圾管理办法》第十六条",
        "authority": BUREAU,
        "content": "分类收集容器设置、分类投放管理责任落实",
        "method": "现场检查",
        "frequency": "每年抽查比例不低于5%，不少于1次",
    },
]


def demo_before_load(now: datetime.datetime) -> None:
    """Once, with the demo's publications (their loader runs only on a fresh load)."""
    admin = User.objects.filter(posts__code=PostCode.SYSTEM_ADMIN).order_by("pk").first()
    if admin is None:
        return
    bureau_profile_save(
        actor=admin,
        now=now - datetime.timedelta(days=200),
        name=BUREAU,
        credit_code=generate_credit_code("1", "1", "370899", "MB123456"),
        nature="法定行政执法机关",
        address="阳光区建设路1号",
        hours="工作日 9:00—12:00，13:30—17:30",
        phone="12319",
        website="https://cgj.example.gov.cn/",
        duties=(
            "负责本区城市管理领域相对集中行政处罚权的实施，包括市容环境卫生、城乡规划、"
            "城市绿化、市政公用、环境保护、工商行政、交通管理等方面法律法规规定的行政处罚权，"
            "以及与之相关的行政检查、行政强制措施。\n"
            "负责数字化城市管理案件的受理、派遣、督办、核查和结案工作。"
        ),
        court="阳光区人民法院",
    )
    list_version_publish(
        kind=ListKind.RANDOM_INSPECTION,
        rows=ITEMS_V1,
        note="首次公布",
        actor=admin,
        now=now - datetime.timedelta(days=180),
    )
    list_version_publish(
        kind=ListKind.RANDOM_INSPECTION,
        rows=ITEMS_V2,
        note="新增生活垃圾分类投放管理检查；提高户外广告设施检查的抽查比例",
        actor=admin,
        now=now - datetime.timedelta(days=30),
    )
