"""A message in English and Japanese: what every reason and warning of the parser is made of."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """One message in both languages; the parser's reasons (``_reasons``) build these.

    Parameters:
        en: the English text (the API's ``error``; tests assert it).
        ja: the Japanese text for the officials who fix the file (表「…」3行目 4月列: …).
    """

    en: str
    ja: str

    @classmethod
    def of(cls, text: str | Text) -> Text:
        """``text`` as a Text; a plain string (a reason without a translation) stands in both."""
        return text if isinstance(text, Text) else cls(text, text)

    def prefixed(self, en: str, ja: str) -> Text:
        """This text after a prefix in each language (a cell reference, a table's name)."""
        return Text(en + self.en, ja + self.ja)
