import pytest

from assistant.textnorm import InputError, check_query, normalize


def test_fullwidth_digits_and_letters_become_ascii():
    assert normalize("ＭＣＮ机构３０００万") == "MCN机构3000万"


def test_traditional_becomes_simplified():
    assert normalize("網絡零售額") == "网络零售额"
    assert normalize("聊城開了一家直播公司") == "聊城开了一家直播公司"


def test_control_characters_and_spaces_collapse():
    assert normalize("  直播\x00电商\u3000\t基地 ") == "直播 电商 基地"


@pytest.mark.parametrize("bad", ["", "   ", "\u3000\n", None])
def test_empty_is_refused_with_a_message(bad):
    with pytest.raises(InputError) as err:
        check_query(bad, 100)
    assert err.value.code == "empty"
    assert "为空" in str(err.value)


def test_too_long_is_refused_and_says_the_limit():
    with pytest.raises(InputError) as err:
        check_query("电" * 101, 100)
    assert err.value.code == "too_long" and "100" in str(err.value)


def test_binary_is_refused():
    with pytest.raises(InputError) as err:
        check_query(b"\xff\xfe\x00\x01", 100)
    assert err.value.code == "binary"
    with pytest.raises(InputError):
        check_query("abc\x00def", 100)


def test_html_passes_through_as_text():
    # Escaping is the renderer's job; the text itself must survive intact.
    assert check_query("<img src=x onerror=alert(1)>", 100) == "<img src=x onerror=alert(1)>"
