"""Read the translation catalogues and the strings the code marks, without gettext.

``makemessages`` needs GNU gettext; this finds the same strings in pure Python
so the catalogue tests run on any machine: templates go through Django's own
``templatize`` (the step makemessages takes before xgettext) and then, like
Python modules, through Babel's Python extractor.
"""

import ast
import dataclasses
import io
from pathlib import Path

from babel.messages.extract import extract_python
from django.conf import settings
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

PROJECT = Path(settings.BASE_DIR)
CATALOGUES = PROJECT / "together" / "locale"
# Where makemessages looks too (Makefile `messages`): the apps and templates.
SOURCE_FOLDERS = ["together", "stories", "campaigns", "templates"]
SOURCE_SUFFIXES = {".py", ".html", ".txt"}

# Function name -> whether its first argument is a context (pgettext family).
KEYWORDS = {
    "_": False,
    "gettext": False,
    "gettext_lazy": False,
    "gettext_noop": False,
    "ngettext": False,
    "ngettext_lazy": False,
    "pgettext": True,
    "pgettext_lazy": True,
    "npgettext": True,
    "npgettext_lazy": True,
}


def translated_languages():
    """The site's languages other than English, the language of the source."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue_path(language, suffix="po"):
    return CATALOGUES / to_locale(language) / "LC_MESSAGES" / f"django.{suffix}"


def source_files(folders=None):
    for folder in folders or [PROJECT / name for name in SOURCE_FOLDERS]:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and path.is_file():
                yield path


def marked_strings(paths):
    """The (context, msgid) pairs that ``paths`` mark for translation."""
    found = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            # templatize keeps the template's layout as placeholder text;
            # its indentation means nothing to Python, and unbalanced it
            # stops the tokenizer (xgettext does not mind), so drop it.
            text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).splitlines())
        for _line, function, message, _comments in extract_python(
            io.BytesIO(text.encode("utf-8")), KEYWORDS.keys(), [], {}
        ):
            parts = message if isinstance(message, tuple) else (message,)
            context, msgid = (parts[0], parts[1]) if KEYWORDS[function] else (None, parts[0])
            if msgid:
                found.add((context, msgid))
    return found


def catalogue_strings(catalogue):
    return {(entry.msgctxt, entry.msgid) for entry in catalogue if not entry.obsolete}


def untranslated_or_fuzzy(catalogue):
    """The msgids a reader of this language would see in English."""
    return sorted(
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and ("fuzzy" in entry.flags or not entry.translated() or not all(entry.msgstr_plural.values()))
    )


# --- Text made outside gettext: formatted, joined or built before translation ----

TRANSLATION_MODULE = "django.utils.translation"
# Where a message a person reads is shown: Django's messages and the admin's.
MESSAGE_FUNCTIONS = {"success", "error", "warning", "info", "debug", "add_message", "message_user"}


@dataclasses.dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    problem: str

    def __str__(self):
        path = self.path.relative_to(PROJECT) if self.path.is_relative_to(PROJECT) else self.path
        return f"{path}:{self.line}: {self.problem}"


def text_built_outside_gettext(paths):
    """Every place in the Python modules ``paths`` where interface text is
    put together before (or instead of being) translated, so that a reader
    of another language meets English or English word order:

    - a msgid that is not a literal but made by code: an f-string, ``%``,
      ``.format()`` or ``+`` inside the gettext call (the catalogue never
      holds what is looked up);
    - a lazy translation (gettext_lazy, ngettext_lazy…) formatted with ``%``
      or ``.format()`` where the module or a class body is run, at import:
      it is translated then, in English, once for every reader (the story
      text's help on the share form was written so);
    - format_lazy whose format is not itself translated: fragments joined
      in English order ("{} {}" around _("a") and _("b"));
    - a translation joined to other text with ``+``, an f-string or
      ``" ".join([...])`` around translated items;
    - a message for a person (messages.error, message_user…) made with an
      f-string, ``%``, ``.format()`` or ``+`` outside gettext.
    """
    findings = []
    for path in paths:
        if path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            findings += _TextBuiltOutsideGettext(path, tree).findings
    return findings


def _built_by_code(node):
    """How ``node`` makes a string by code, or None for a literal or a name."""
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return "% formatting"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = (node.left, node.right)
        if not all(isinstance(part, ast.Constant) for part in parts):
            return "+ concatenation"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return "str.format()"
    return None


def _written_in_code(node):
    """How ``node`` makes text out of words written in the code itself (an
    f-string, a literal formatted or added to), or None: a translation or a
    variable holding one, formatted, is the right way round."""
    literal = (ast.Constant, ast.JoinedStr)
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if not isinstance(node, ast.BinOp | ast.Call):
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, literal):
        return "% formatting"
    added = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
    if added and (isinstance(node.left, literal) or isinstance(node.right, literal)):
        return "+ concatenation"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return "str.format()" if isinstance(node.func.value, literal) else None
    return None


class _TextBuiltOutsideGettext(ast.NodeVisitor):
    def __init__(self, path, tree):
        self.path = path
        self.findings = []
        # Local name -> the django.utils.translation function it is (``_``
        # is gettext in one module and gettext_lazy in the next).
        self.translators = {
            alias.asname or alias.name: alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == TRANSLATION_MODULE
            for alias in node.names
            if alias.name in KEYWORDS
        }
        self.function_depth = 0
        self.visit(tree)

    def report(self, node, problem):
        self.findings.append(Finding(self.path, node.lineno, problem))

    def translator(self, node):
        """The translation function ``node`` calls, or None."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.translators.get(node.func.id)
        return None

    def is_translation(self, node):
        return self.translator(node) is not None

    def visit_FunctionDef(self, node):
        # Decorators and default values run at import; the body when called.
        for part in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if part is not None:
                self.visit(part)
        self.function_depth += 1
        for statement in node.body:
            self.visit(statement)
        self.function_depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.function_depth += 1
        self.generic_visit(node)
        self.function_depth -= 1

    def visit_Call(self, node):
        function = self.translator(node)
        if function is not None:
            # The msgids: after the context for the pgettext family; the
            # plural too for the ngettext family.
            first = 1 if KEYWORDS[function] else 0
            count = 2 if "ngettext" in function else 1
            for argument in node.args[first : first + count]:
                if how := _built_by_code(argument):
                    self.report(node, f"{function}() is given a msgid made by {how}")
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name == "format_lazy" and node.args and not self.is_translation(node.args[0]):
            self.report(node, "format_lazy() joins fragments with a format that is not translated")
        if name == "format" and isinstance(node.func, ast.Attribute):
            self.check_formatted(node, node.func.value, "str.format()")
        items = node.args[0].elts if node.args and isinstance(node.args[0], ast.List | ast.Tuple) else []
        if name == "join" and any(self.is_translation(item) for item in items):
            self.report(node, "translations joined with str.join() into one text")
        if name in MESSAGE_FUNCTIONS:
            for argument in node.args:
                if how := _written_in_code(argument):
                    self.report(node, f"a message for a person made by {how} outside gettext")
        self.generic_visit(node)

    def visit_BinOp(self, node):
        if isinstance(node.op, ast.Mod):
            self.check_formatted(node, node.left, "% formatting")
        joined = self.is_translation(node.left) or self.is_translation(node.right)
        if isinstance(node.op, ast.Add) and joined:
            self.report(node, "a translation joined to other text with +")
        self.generic_visit(node)

    def visit_JoinedStr(self, node):
        for value in node.values:
            if isinstance(value, ast.FormattedValue) and self.is_translation(value.value):
                self.report(node, "a translation put into an f-string")
        self.generic_visit(node)

    def check_formatted(self, node, formatted, how):
        function = self.translator(formatted)
        if function and function.endswith("_lazy") and self.function_depth == 0:
            self.report(node, f"{function}() formatted by {how} at import, so in English for everyone")
