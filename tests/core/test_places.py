from vigil.core.places import current_counties, parse_loc_dat, xinjiang_places


def test_xinjiang_table_is_loaded_with_years():
    """Every Xinjiang code is read, and a reused code keeps each name with its years."""
    places = xinjiang_places()
    assert all(p.code.startswith("65") for p in places)
    dabancheng = [p for p in places if p.code == "650107"]
    assert [(p.name_zh, p.valid_from, p.valid_to) for p in dabancheng] == [
        ("南山矿区", 1983, 1998),
        ("南泉区", 1999, 2001),
        ("达坂城区", 2002, None),
    ]
    assert any(p.name_zh == "伊宁县" and p.pinyin == "Yiningxian" for p in places)
    assert len(current_counties()) > 80


def test_other_provinces_are_skipped():
    """Only the requested prefix is kept."""
    text = '11 province="北京市"\n  0101 county="东城区"\n65 province="新疆"\n  0102 county="[1983-]天山区"\n'
    assert [p.code for p in parse_loc_dat(text)] == ["650102"]
