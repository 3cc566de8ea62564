"""Measure the memory a worker spends on one photo sent with the sharing form.

Run as ``python -m tests.together.image_memory <photo file> <media folder>``
in a fresh process (tests/together/test_images_memory.py does): it validates
the public sharing form with that photo and nothing else filled in (the
cheapest request an attacker can send), writes the photo's renditions when the
form accepted it, and prints one JSON object: the growth of the process's
peak resident memory (KiB) over what it used before the request, the error
codes of the photo field, and the number of renditions written.

Peak RSS, not tracemalloc: Pillow allocates pixel memory outside Python's
allocator, where tracemalloc does not see it.
"""

import json
import os
import resource
import sys


def main(photo_path, media_root):
    os.environ["DJANGO_SETTINGS_MODULE"] = "together.settings"
    os.environ["DEBUG"] = "1"  # whatever the caller runs with: no secret key needed
    os.environ["MEDIA_ROOT"] = media_root
    # The form's model checks run SQL without tables; nothing is stored.
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stories.forms import StoryForm

    with open(photo_path, "rb") as file:
        upload = SimpleUploadedFile("photo", file.read())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    form = StoryForm({}, {"photo": upload})
    form.is_valid()
    renditions = form._store_photo() if "photo" not in form.errors else None
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "growth_kib": after - before,
                "photo_errors": [error.code for error in form.errors.as_data().get("photo", [])],
                "renditions": len(renditions or []),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
