"""An S3-protocol server of a test's own (moto's standalone server, a pip
requirement, so these tests never skip), a bucket in it, and the media
storage pointed at it the way MEDIA_STORAGE=s3 does (together/settings.py).
"""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
from django.conf import settings as django_settings

from tests.together.processes import free_port
from together.object_storage import s3_storage

BUCKET = "together-media"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


class S3Server:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1).close()
                return
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, **KEYS)

    def reset(self):
        """Forget every bucket and object (moto's own reset call)."""
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=5).close()


def use_s3_storage(settings, server, bucket=BUCKET):
    """Make a bucket and the default storage what MEDIA_STORAGE=s3 makes of
    these variables (together.object_storage), at ``server``."""
    client = server.client()
    client.create_bucket(Bucket=bucket)
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
    storage, origins = s3_storage(
        {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": server.endpoint,
            "AWS_S3_REGION_NAME": KEYS["region_name"],
            "AWS_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        }
    )
    settings.STORAGES = {**django_settings.STORAGES, "default": storage}
    return origins


def make_s3_unreachable(settings, port):
    """Point the S3 storage of ``settings`` at ``port``, where nothing listens."""
    storage = settings.STORAGES["default"]
    options = {**storage["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{port}"}
    settings.STORAGES = {**settings.STORAGES, "default": {**storage, "OPTIONS": options}}


def public_read_policy(bucket):
    """The bucket policy README asks for: anyone may read an object (the
    renditions' URLs are public and unsigned), nobody else may list or write."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicReadRenditions",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def object_names(server, bucket=BUCKET):
    listing = server.client().list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def object_bytes(server, name, bucket=BUCKET):
    return server.client().get_object(Bucket=bucket, Key=name)["Body"].read()
