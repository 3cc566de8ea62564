"""WSGI entry point, used by gunicorn (see together/gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "together.settings")

application = get_wsgi_application()
