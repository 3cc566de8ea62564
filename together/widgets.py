"""Form widgets.

:class:`QuickSelect` is ``forms.Select`` written out in Python: exactly the
HTML of Django's ``select.html``, ``select_option.html`` and ``attrs.html``
templates (tests/together/test_widgets.py compares the two for every choice),
without rendering one template per option. A list of every country (about
250 options) took 18 ms to render through the templates, over a third of the
campaign page where every pledge starts (see README, "Speed").
"""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs):
    """As django/forms/widgets/attrs.html: False left out, True bare."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(
                    format_html('\n  <option value="{}"', str(option["value"]))
                    + _attrs(option["attrs"])
                    + format_html(">{}</option>\n", option["label"])  # the template file's last line
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part is escaped above
