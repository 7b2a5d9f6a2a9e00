"""{% lang_of %} and |ja mark Japanese content on English pages, nothing on Japanese ones."""

from __future__ import annotations

from django.template import engines
from django.utils import translation


def _render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


def test_an_element_with_japanese_content_is_marked_on_english_pages() -> None:
    source = "<td{% lang_of name %}>{{ name }}</td>"
    assert _render(source, "en", name="産業環境部 環境課") == '<td lang="ja">産業環境部 環境課</td>'
    assert _render(source, "ja", name="産業環境部 環境課") == "<td>産業環境部 環境課</td>"
    assert _render(source, "en", name="Environment Division") == "<td>Environment Division</td>"


def test_any_of_several_values_marks_the_element() -> None:
    source = "<li{% lang_of a b %}>{{ a }} {{ b }}</li>"
    assert _render(source, "en", a="Kameyama", b="亀山") == '<li lang="ja">Kameyama 亀山</li>'


def test_a_value_in_running_text_is_wrapped_and_escaped() -> None:
    source = "<p>Signed in as {{ name|ja }}.</p>"
    assert _render(source, "en", name="亀山 <太郎>") == (
        '<p>Signed in as <span lang="ja">亀山 &lt;太郎&gt;</span>.</p>'
    )
    assert _render(source, "ja", name="亀山 <太郎>") == "<p>Signed in as 亀山 &lt;太郎&gt;.</p>"
    assert _render(source, "en", name="Taro") == "<p>Signed in as Taro.</p>"


def test_punctuation_alone_is_not_japanese() -> None:
    assert _render("<p{% lang_of v %}>{{ v }}</p>", "en", v="・ー") == "<p>・ー</p>"
