from yangguang.core.privacy import mask_id_number, mask_name, mask_phone


def test_mask_phone_keeps_prefix_and_last_four():
    assert mask_phone("13912345678") == "139****5678"


def test_mask_short_numbers_hides_most():
    assert mask_phone("1234") == "****"
    assert mask_phone("12345") == "1**45"


def test_mask_name_keeps_surname():
    assert (mask_name("王五"), mask_name("张三丰"), mask_name("欧阳娜娜")) == (
        "王*",
        "张*丰",
        "欧**娜",
    )


def test_mask_id_number_keeps_region_and_last_four():
    assert mask_id_number("11010519491231002X") == "110***********002X"
