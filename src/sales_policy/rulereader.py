"""Typed values read out of a rule file's located YAML (``yamlfile``), each problem a
``RuleFileError`` at its file and line: mappings and their keys, bilingual texts (which
people read, so that none may hold a hidden character), lists of names."""

from __future__ import annotations

from typing import Any

from .errors import RuleFileError, kind_of, suggest
from .exprsource import first_hidden
from .rulesets import Text
from .yamlfile import LocatedDict, LocatedList


class RuleFileReader:
    """Helpers that read typed values out of located YAML, failing with file:line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, message: str, line: int | None) -> RuleFileError:
        return RuleFileError(message, path=self.path, line=line)

    def mapping(self, value: Any, what: str, line: int) -> LocatedDict:
        if not isinstance(value, LocatedDict):
            raise self.fail(f"{what} must be a mapping, found {kind_of(value)}", line)
        return value

    def keys(
        self, mapping: LocatedDict, allowed: tuple[str, ...], required: tuple[str, ...], what: str
    ) -> None:
        for key in mapping:
            if key not in allowed:
                raise self.fail(
                    f"unknown key {key!r} in {what}{suggest(key, allowed)}", mapping.line_of(key)
                )
        for key in required:
            if key not in mapping:
                raise self.fail(f"{what} needs the key {key!r}", mapping.line)

    def text(self, mapping: LocatedDict, key: str, what: str) -> Text:
        return self.bilingual(mapping.get(key), f"{what} {key}", mapping.line_of(key))

    def bilingual(self, item: Any, what: str, line: int) -> Text:
        """A ``{zh: ..., en: ...}`` mapping, both texts non-empty, as a ``Text``."""
        value = self.mapping(item, what, line)
        self.keys(value, ("zh", "en"), ("zh", "en"), what)
        for lang in ("zh", "en"):
            if not isinstance(value[lang], str) or not value[lang].strip():
                raise self.fail(f"{what}.{lang} must be a non-empty text", value.line_of(lang))
            self.plain(value[lang], f"{what}.{lang}", value.line_of(lang))
        # without the line break a YAML block scalar (``en: >``) ends in, which the one-line
        # outputs (the terminal, the reports) would show as an escape after the text
        return Text(value["zh"].strip(), value["en"].strip())

    def texts(self, mapping: LocatedDict, key: str, what: str) -> tuple[Text, ...]:
        """A list whose items are each ``{zh: ..., en: ...}`` or one text for both languages
        (``["Labour Law of the PRC, art. 41"]``)."""
        value = mapping.get(key, [])
        if not isinstance(value, list):
            raise self.fail(
                f"{what} {key} must be a list of texts or {{zh: ..., en: ...}} mappings",
                mapping.line_of(key),
            )
        items = []
        for index, item in enumerate(value):
            line = value.line_of(index) if isinstance(value, LocatedList) else mapping.line_of(key)
            if isinstance(item, str):
                if not item.strip():
                    raise self.fail(f"{what} {key}: an item must be a non-empty text", line)
                self.plain(item, f"{what} {key}", line)
                items.append(Text(item.strip(), item.strip()))
            elif isinstance(item, LocatedDict):
                items.append(self.bilingual(item, f"{what} {key}", line))
            else:
                raise self.fail(
                    f"{what} {key}: an item must be a text or a {{zh: ..., en: ...}} mapping, "
                    f"found {kind_of(item)}",
                    line,
                )
        return tuple(items)

    def plain(self, text: str, what: str, line: int) -> None:
        """Refuse a text shown to people that holds a hidden character: it could read
        otherwise than it is."""
        hidden = first_hidden(text, joiners=True)
        if hidden is not None:
            raise self.fail(
                f"{what} cannot contain U+{ord(text[hidden]):04X}, a control character or one "
                "that is invisible or turns the direction of text",
                line,
            )

    def names(self, mapping: LocatedDict, key: str, what: str) -> tuple[str, ...]:
        value = mapping.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{what} {key} must be a list of texts", mapping.line_of(key))
        for index, item in enumerate(value):
            if isinstance(item, str):
                continue
            line = value.line_of(index) if isinstance(value, LocatedList) else None
            hint = ""
            if isinstance(item, int | float) and not isinstance(item, bool):
                # clauses: [4.3, 8.1], as the handbook numbers them, are numbers to YAML
                hint = f' (YAML reads {item!r} without quotes as a number: write "{item!r}")'
            raise self.fail(
                f"{what} {key} must be a list of texts, found {kind_of(item)}{hint}",
                line or mapping.line_of(key),
            )
        for index, name in enumerate(value):
            if name in value[:index]:  # a clause cited twice, a column shown twice
                line = value.line_of(index) if isinstance(value, LocatedList) else None
                raise self.fail(f"{what} {key} lists {name!r} twice", line or mapping.line_of(key))
        return tuple(value)
