"""Validators for text that strangers type and the site quotes back.

Invariant: a field quoted in an email to an address nobody has confirmed
(the name of a pledge or a sign-up, a story's title) never holds a web
address. Otherwise anyone could make the site mail a link of their choice,
under the site's name, to any address they type in. Every such field uses
:class:`NoWebAddressValidator`, so the rule is one pattern in one place.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# A scheme ("https://"), "www.", or a dot followed by a lowercase top-level
# domain (example.com, bit.ly/x) is a link someone wants us to send out. The
# domain is matched in lowercase only, so "St.John" or "O.Brien" pass. Each
# alternative looks at a few characters around one position, so the search
# takes time linear in the length, however long the text.
WEB_ADDRESS = re.compile(r"(?i:\w://|www\.)|[\w-]\.[a-z]{2,63}(?:/|\b)")


@deconstructible
class NoWebAddressValidator:
    """Refuse text containing a web address, with a message written for the field."""

    def __init__(self, message, code):
        self.message, self.code = message, code

    def __call__(self, value):
        if WEB_ADDRESS.search(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return (
            isinstance(other, NoWebAddressValidator)
            and self.message == other.message
            and self.code == other.code
        )
