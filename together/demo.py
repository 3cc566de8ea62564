"""Demo accounts, for development only (their passwords are published)."""

from django.contrib.auth import get_user_model
from django.urls import reverse

DEMO_SUPERUSER = ("admin", "together-admin")
DEMO_MODERATOR = ("moderator", "together-moderator")


def load(stdout):
    User = get_user_model()
    for (username, password), is_superuser in ((DEMO_SUPERUSER, True), (DEMO_MODERATOR, False)):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@together.example",
                "is_staff": True,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
    admin_url = reverse("admin:index")
    stdout.write(
        f"Admin (development only): http://127.0.0.1:8000{admin_url}\n"
        f"  demo superuser: {DEMO_SUPERUSER[0]} / {DEMO_SUPERUSER[1]}\n"
        f"  demo moderator: {DEMO_MODERATOR[0]} / {DEMO_MODERATOR[1]}"
    )
