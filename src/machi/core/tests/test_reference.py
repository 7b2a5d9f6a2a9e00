"""受付番号: read aloud, typed back in any width or case, mistakes caught before a lookup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from machi.core.reference import (
    ALPHABET,
    check_character,
    format_reference,
    new_reference,
    parse_reference,
)

ZENKAKU = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
bodies = st.text(alphabet=ALPHABET, min_size=8, max_size=8)


def with_check(body: str) -> str:
    return body + check_character(body)


def zenkaku(text: str) -> str:
    return "".join(ZENKAKU.get(ch, ch) for ch in text)


def test_alphabet_leaves_out_characters_people_confuse() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("01IO") & set(ALPHABET)
    assert set(ALPHABET) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")


def test_new_reference_is_nine_characters_of_the_alphabet_with_a_valid_check() -> None:
    for _ in range(200):
        reference = new_reference()
        assert len(reference) == 9
        assert set(reference) <= set(ALPHABET)
        assert reference[-1] == check_character(reference[:-1])
        assert parse_reference(reference) == reference


def test_references_are_formatted_in_three_groups() -> None:
    assert format_reference("K7Q4MX9PC") == "K7Q-4MX-9PC"
    reference = new_reference()
    shown = format_reference(reference)
    assert len(shown) == 11 and shown[3] == shown[7] == "-"
    assert shown.replace("-", "") == reference


def test_ten_thousand_references_are_all_different() -> None:
    references = [new_reference() for _ in range(10_000)]
    assert len(set(references)) == 10_000


@given(body=bodies)
@settings(max_examples=200)
def test_parse_accepts_what_people_type(body: str) -> None:
    reference = with_check(body)
    shown = format_reference(reference)
    for typed in (
        reference,
        shown,
        reference.lower(),
        shown.lower(),
        zenkaku(shown),
        zenkaku(reference.lower()),
        shown.replace("-", " "),
        shown.replace("-", "－"),
        shown.replace("-", "ー"),
        shown.replace("-", "\u2010"),
        shown.replace("-", "\u3000"),
        f"  {shown}\n",
    ):
        assert parse_reference(typed) == reference, typed


@pytest.mark.parametrize(
    "typed",
    ["", "K7Q-4MX", "K7Q-4MX-9PCX", "K7Q_4MX_9PC", "K7Q-4MX-9P", "受付番号K7Q4MX9PC", "0OI1-..."],
)
def test_parse_refuses_what_cannot_be_a_reference(typed: str) -> None:
    assert parse_reference(typed) is None


def test_parse_refuses_letters_outside_the_alphabet() -> None:
    reference = with_check("K7Q4MX9P")
    for confusable in "01IO":
        assert parse_reference(confusable + reference[1:]) is None


@given(body=bodies)
@settings(max_examples=200)
def test_every_single_character_substitution_is_detected(body: str) -> None:
    reference = with_check(body)
    for position in range(len(reference)):
        for char in ALPHABET:
            if char == reference[position]:
                continue
            typo = reference[:position] + char + reference[position + 1 :]
            assert parse_reference(typo) is None, (reference, typo)


def swaps(reference: str) -> list[tuple[str, str]]:
    """Each adjacent transposition of ``reference``, with the pair that was swapped."""
    return [
        (reference[:i] + reference[i + 1] + reference[i] + reference[i + 2 :], reference[i : i + 2])
        for i in range(len(reference) - 1)
        if reference[i] != reference[i + 1]
    ]


def test_issued_references_never_put_2_and_z_side_by_side() -> None:
    """Luhn mod 32 cannot see a swap of 2 and Z, so no issued reference has them together;
    then every swap of neighbours in an issued reference is caught."""
    for _ in range(3000):
        reference = new_reference()
        assert "2Z" not in reference and "Z2" not in reference
        for swapped, _pair in swaps(reference):
            assert parse_reference(swapped) is None, (reference, swapped)


def test_the_one_blind_swap_is_the_documented_one() -> None:
    reference = with_check("2ZABCDEF")
    assert parse_reference("Z2" + reference[2:]) is not None


@given(body=bodies)
@settings(max_examples=200)
def test_adjacent_transpositions_other_than_2_and_z_are_detected(body: str) -> None:
    reference = with_check(body)
    for swapped, pair in swaps(reference):
        if set(pair) != {"2", "Z"}:
            assert parse_reference(swapped) is None, (reference, swapped)


def test_check_character_follows_luhn_mod_32() -> None:
    # "22222222": every value is 0, so the check is the first character of the alphabet
    assert check_character("22222222") == "2"
    # one "3" (value 1) in a doubled position: 2 → check value 30 ("Y")
    assert check_character("22222223") == ALPHABET[30]
    # one "3" in an undoubled position: 1 → check value 31 ("Z")
    assert check_character("22222232") == ALPHABET[31]
