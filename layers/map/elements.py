"""The building blocks of every map element: script elements placed as they are, and
JSON that is safe inside a script."""

from __future__ import annotations

import itertools
import json
import re

import folium
from branca.element import Element, MacroElement

# Element ids from a counter: branca draws a uuid4 per element, a system call each, and a map
# update makes hundreds of elements. Ids only need to be unique within the page.
_element_ids = itertools.count()


def _next_element_id(self) -> str:
    return f"{next(_element_ids):032x}"


class RawScript(Element):
    """Script text placed in the page as is.

    branca wraps each rendered script in an Element whose *template* is that text, so Jinja
    parses the data a second time: slow for megabytes of features, and a title containing
    "{%" would stop the whole map. Data-bearing elements use this instead.
    """

    _generate_id = _next_element_id

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ScriptElement(MacroElement):
    """A MacroElement whose one `script` macro is placed in the page as is (see RawScript)."""

    _generate_id = _next_element_id

    def render(self, **kwargs) -> None:
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(RawScript(script(self, kwargs)), name=self.get_name())


class MapLayer(folium.FeatureGroup):
    """folium's FeatureGroup, its scripts placed as they are (see RawScript).

    streamlit-folium renders every group it is given, then discards that render and writes the
    group's script from the template macros itself. folium's render compiled each script as a
    Jinja template: two thirds of a map update's time in streamlit-folium, for nothing.
    """

    _generate_id = _next_element_id

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        script = self._template.module.__dict__["script"]
        figure.script.add_child(RawScript(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        if self.show:
            figure.script.add_child(
                RawScript(f"{self.get_name()}.addTo({self._parent.get_name()});"),
                name=f"{self.get_name()}_add",
            )


def collection_text(feature_texts) -> str:
    """A FeatureCollection from feature JSON texts."""
    return '{"type":"FeatureCollection","features":[' + ",".join(feature_texts) + "]}"


def feature_text(geometry_json: str, properties: dict) -> str:
    return (
        '{"type":"Feature","geometry":'
        + geometry_json
        + ',"properties":'
        + script_safe_json(properties)
        + "}"
    )


def script_safe_json(value) -> str:
    """JSON that can sit inside a <script> or an eval'd string without ending it early."""
    return _JINJA_OPENERS.sub(r"\\u007b", _script_safe(value))


# "{{", "{%" and "{#" never occur in json.dumps' own syntax, only inside strings; escaping the
# brace there keeps any template pass from reading data as template code.
_JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def _script_safe(value) -> str:
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
