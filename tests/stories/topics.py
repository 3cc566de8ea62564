"""Topics as people type them in the languages the site serves (and a few
it does not), for the topic tests."""

# ruff: noqa: RUF001 (Cyrillic and full-width letters are the point here)

# Site language: (what is typed in the topics field, the topics it makes).
# Each separator of stories.topics.SEPARATORS is used at least once.
TYPED_TOPICS = {
    "ar": ("جيران، عائلة", ["جيران", "عائلة"]),  # Arabic comma
    "zh-hans": ("家庭，邻居、学校", ["学校", "家庭", "邻居"]),  # full-width and enumeration commas
    "en": ("Family, Work", ["family", "work"]),
    "fr": ("bénévolat; Café", ["bénévolat", "café"]),
    "ru": ("школа；Соседи", ["соседи", "школа"]),  # full-width semicolon
    "es": ("niños؛ acogida", ["acogida", "niños"]),  # Arabic semicolon
    "nl": ("buren, fietsen", ["buren", "fietsen"]),
}
# Topics in no site language's script, or in no script at all.
OTHER_TOPICS = ["परिवार", "❤️", "🏳️‍🌈", "?!"]
