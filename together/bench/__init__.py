"""Measurement tooling: `make bench` (``python -m together.bench``) and the
pledge flow driver (:mod:`together.bench.pledges`). Never imported by the site."""
