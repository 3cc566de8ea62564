"""The tools the browser tests need, and which of them this machine lacks."""

import importlib.util
import os
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = PROJECT_ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# No first-run work, no calls home (they would be refused on these machines).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The start of the reason of every skipped browser test (tests/conftest.py
# reports it once at the end of the run).
SKIP_MESSAGE = "Browser checks not run: missing"


def ci_is_set():
    """CI must run every check: there, a missing tool fails instead of skipping."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def missing_tools():
    """What the browser tests need that this machine lacks, with how to get it."""
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright package (make venv)")
    if not CHROMIUM.is_file():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if not (AXE_JS.is_file() and VNU_JAR.is_file()):
        missing.append("axe-core and vnu-jar in node_modules/ (npm ci)")
    if shutil.which("java") is None:
        missing.append("Java for the Nu HTML Checker (apt-get install -y default-jre-headless)")
    return missing
