"""Importing the merchant file from a workbook: all rows or none, every bad row named.

One row per shop; rows with the same credit code are one merchant with several shops
(their merchant columns must agree). A credit code already on file is refused: change
that merchant on its page instead, so an import never silently overwrites the file.
"""

import datetime
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core.sheets import SheetError, sheet_rows
from yangguang.merchants.models import Merchant, Shop
from yangguang.merchants.services import (
    ShopFields,
    merchant_clean,
    merchant_save,
    require,
    shop_clean,
    shop_register,
)
from yangguang.org.models import User

MAX_ROWS = 5000
# Column heading → field. The first seven describe the merchant, the rest the shop.
MERCHANT_COLUMNS = {
    "统一社会信用代码": "credit_code",
    "名称": "name",
    "经营者": "operator_name",
    "手机": "phone",
    "注册地址": "address",
    "经营类别": "business_type",
    "许可证": "licences",
}
SHOP_COLUMNS = {
    "招牌名": "trade_name",
    "店铺地址": "address",
    "街道": "street_name",
    "经度": "longitude",
    "纬度": "latitude",
    "门面宽度(米)": "frontage_m",
    "朝向(度)": "facing",
}
HEADERS = [*MERCHANT_COLUMNS, *SHOP_COLUMNS]


class ImportRefused(Exception):  # noqa: N818 - "refused" is the domain's word
    """Nothing was imported; ``problems`` names every bad row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _licences(text: str) -> list[dict[str, str]]:
    """“食品经营许可证:JY13701000000001:2027-06-30；…”: kind, number, valid until."""
    licences = []
    for part in text.replace("；", ";").split(";"):
        if part.strip():
            kind, _sep, rest = part.replace("：", ":").partition(":")
            number, _sep, valid_until = rest.partition(":")
            licences.append(
                {"kind": kind.strip(), "number": number.strip(), "valid_until": valid_until.strip()}
            )
    return licences


def _label(field: str) -> str:
    for heading, key in {**MERCHANT_COLUMNS, **SHOP_COLUMNS}.items():
        if key == field:
            return heading
    return field


def _shop_fields(row: dict[str, str]) -> ShopFields:
    return ShopFields(
        trade_name=row["招牌名"],
        address=row["店铺地址"],
        street_name=row["街道"],
        longitude=row["经度"],
        latitude=row["纬度"],
        frontage_m=row["门面宽度(米)"] or "6",
        facing=row["朝向(度)"] or "180",
    )


def rows_check(rows: list[dict[str, str]]) -> list[tuple[dict, ShopFields]]:
    """Every row checked; ``ImportRefused`` listing each problem as 第N行 column: reason."""
    if not rows:
        raise ImportRefused([_("The workbook holds no rows.")])
    problems: list[str] = []
    merchants: dict[str, tuple[int, dict]] = {}
    checked = []
    for number, row in enumerate(rows, start=2):  # row 1 holds the headings
        where = _("Row %(row)d") % {"row": number}
        fields = {key: row[heading] for heading, key in MERCHANT_COLUMNS.items()}
        fields["licences"] = _licences(fields["licences"])
        code = fields["credit_code"].strip().upper()
        try:
            if code in merchants:
                first, cleaned = merchants[code]
                for key in ("name", "operator_name", "phone"):
                    if " ".join(fields[key].split()) != cleaned[key]:
                        raise ValidationError(
                            {
                                key: _("differs from row %(row)d for the same merchant.")
                                % {"row": first}
                            }
                        )
            else:
                cleaned = merchant_clean(fields)
                merchants[code] = (number, cleaned)
        except ValidationError as error:
            problems += [
                f"{where}, {_label(key)}: {messages[0]}"
                for key, messages in error.message_dict.items()
            ]
        shop = _shop_fields(row)
        try:
            shop_clean(shop)
        except ValidationError as error:
            problems += [
                f"{where}, {_label(key)}: {messages[0]}"
                for key, messages in error.message_dict.items()
            ]
        checked.append((fields, shop))
    if problems:
        raise ImportRefused(problems)
    return checked


def merchants_import(
    *, upload: BinaryIO, actor: User | None, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Import the workbook; returns (merchants, shops) added. Nothing is written unless
    every row is right."""
    require(actor)
    try:
        rows = sheet_rows(upload, HEADERS, max_rows=MAX_ROWS)
    except SheetError as error:
        raise ImportRefused([str(error)]) from None
    checked = rows_check(rows)
    now = now or timezone.now()
    added: dict[str, Merchant] = {}
    shops: list[Shop] = []
    with transaction.atomic():
        for fields, shop in checked:
            code = fields["credit_code"].strip().upper()
            if code not in added:
                added[code] = merchant_save(fields=fields, actor=actor, now=now)
            shops.append(shop_register(merchant=added[code], data=shop, actor=actor, now=now))
    return len(added), len(shops)


def template_xlsx() -> bytes:
    """An empty workbook with the headings and one example row, for the import page."""
    from io import BytesIO

    from openpyxl import Workbook

    from yangguang.cases.identity import generate_credit_code

    book = Workbook()
    sheet = book.active
    sheet.title = "商户"
    sheet.append(HEADERS)
    sheet.append(
        [
            generate_credit_code("9", "2", "370811", "MA3C0001"),
            "任城区示例小吃店",
            "张三",
            "13800000000",
            "示例路1号",
            "餐饮",
            "食品经营许可证:JY13708000000001:2027-06-30",
            "老张小吃",
            "示例路1号",
            "示例路",
            "116.587",
            "35.415",
            "6",
            "180",
        ]
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
