"""Interface text that libraries show on our pages but do not translate into
all of our languages, translated in our own catalogues instead.

Django looks in LOCALE_PATHS (together/locale) before the libraries' own
catalogues, so a msgid translated there wins. Marking the strings here with
gettext_noop keeps them in our catalogues through `make messages`, and makes
tests/together/test_catalogues.py require their translation in every
language. Add a string when a page shows a library's English (the browser
audit's "no English left" check finds them); remove it when the library
translates it in every language of settings.LANGUAGES.
"""

from django.utils.translation import gettext_noop

LIBRARY_STRINGS = [
    # Django 6's empty choice of a select without default (the event sign-up's
    # role, the admin's forms); Django has it in French only of our languages.
    gettext_noop("- Select an option -"),
    # The admin's date filter above a list (blocktranslate in
    # admin/date_hierarchy.html); Django has it in French only.
    gettext_noop("Filter by %(field_name)s"),
    # The admin's "logged out" page; Django has it in French and Dutch only.
    gettext_noop("Logout"),
    # The admin's list pages: the actions' button and the headings screen
    # readers announce; Django lacks them in Arabic and Spanish (and Dutch).
    gettext_noop("Run"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    # The admin's delete confirmations; Django lacks them in Arabic, Spanish
    # and Dutch (and its Russian ones run words together).
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? "
        "All of the following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting "
        "the following protected related objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting "
        "related objects, but your account doesn't have permission to delete the "
        "following types of objects:"
    ),
    # A language a story can be written in (stories/languages.py), which
    # Django does not name in Arabic.
    gettext_noop("Haitian Creole"),
]
