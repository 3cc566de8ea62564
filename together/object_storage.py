"""Media on object storage (``MEDIA_STORAGE=s3``): the one place that turns
the ``AWS_*`` environment variables into the default storage and the origin
images load from.

Read by together/settings.py (so it imports nothing of Django's settings) and
by the tests, which point it at their own S3-protocol server.

Invariants:

* Only image renditions are ever stored (together/images.py): never an
  original, never metadata. Everything goes through the storage API (``save``,
  ``url``, ``delete``), never ``.path`` or ``MEDIA_ROOT``, so those rules and
  the erasure of a withdrawn story's photo hold on either storage.
* URLs are public and unsigned, like /media/ on the filesystem: a rendition's
  name carries a random 128-bit token, pages are cached (a signed URL would
  expire inside a cached page) and published photos are public anyway. The
  bucket (or the CDN of ``AWS_S3_CUSTOM_DOMAIN``) must let anyone read its
  objects: a bucket policy, or ``AWS_DEFAULT_ACL=public-read`` where the
  provider still uses ACLs.
* Names never change, so objects are served with a one-year Cache-Control.
"""

from django.core.exceptions import ImproperlyConfigured

BACKEND = "storages.backends.s3.S3Storage"


def s3_storage(environ):
    """The ``STORAGES["default"]`` entry and the list of image origins (for
    the Content-Security-Policy) that ``environ`` (a mapping of environment
    variables) describes. ``AWS_STORAGE_BUCKET_NAME`` is required."""

    def get(name):
        return environ.get(name, "") or None

    bucket = get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    endpoint = get("AWS_S3_ENDPOINT_URL")
    region = get("AWS_S3_REGION_NAME")
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": region,
        # Unset: boto3's own chain (environment, instance or pod role).
        "access_key": get("AWS_ACCESS_KEY_ID"),
        "secret_key": get("AWS_SECRET_ACCESS_KEY"),
        "custom_domain": get("AWS_S3_CUSTOM_DOMAIN"),
        # A key prefix, to share a bucket with other data (e.g. "media").
        "location": get("AWS_LOCATION") or "",
        "default_acl": get("AWS_DEFAULT_ACL"),
        "querystring_auth": False,
        # Another provider than AWS (MinIO, Ceph, moto...) answers on its own
        # host: path-style URLs there, so the origin allowed below is exact.
        "addressing_style": get("AWS_S3_ADDRESSING_STYLE") or ("path" if endpoint else "virtual"),
        # Names carry a random token (images.save_renditions): no existence
        # check (one request fewer per file) is needed before writing.
        "file_overwrite": True,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if options["custom_domain"]:
        origins = [f"https://{options['custom_domain']}"]
    elif endpoint:
        scheme, _, rest = endpoint.partition("://")
        origins = [f"{scheme}://{rest.split('/')[0]}"]
    else:
        origins = [f"https://{bucket}.s3.amazonaws.com"]
        if region:
            origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return {"BACKEND": BACKEND, "OPTIONS": options}, origins
