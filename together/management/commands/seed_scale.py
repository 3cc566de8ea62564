"""`manage.py seed_scale`: a campaign-size dataset in a THROWAWAY database.

By default 100,000 published stories in the site's seven languages (with
topics, and photos on one in five: a handful of real renditions shared by
many stories), 1,000,000 pledges from 150 countries (98% confirmed) and 500
events with 20,000 confirmed sign-ups. Rows are written in bulk
(:mod:`together.bulk`: COPY on PostgreSQL), never through the models' state
changes; so the counters are then made exact the way production repairs them
(``Campaign.repair_pledge_counts``, ``Event.places_taken`` recounted) and
PostgreSQL's search vectors are built by PostgreSQL, per language, as
``SearchedText.save`` would. It refuses a database that already holds
stories, pledges or events unless ``--force`` (then it adds to them, e.g.
after ``load_demo`` for ``make bench``).
"""

import random
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django_countries import countries
from tqdm import tqdm

from campaigns.demo import build_pledges, in_english
from campaigns.models import Campaign, Event, Pledge, SignUp
from stories import search
from stories.demo import landscape
from stories.models import Story, TaggedStory
from stories.topics import get_or_create_topic
from together import bulk, pagecache
from together.images import clean_upload, save_renditions
from together.mail import normalise_email

CHUNK = 20_000
SCALE_COUNTRIES = [code for code, _name in list(countries)[:150]]
LAUNCHED = datetime(2016, 9, 19, 12, tzinfo=UTC)
PHOTOS = 6  # distinct photos, shared by every fifth story
PALETTES = [
    ((120, 170, 220), (90, 140, 90), (60, 100, 60)),
    ((240, 180, 140), (180, 120, 90), (120, 80, 60)),
    ((170, 200, 240), (100, 120, 160), (70, 80, 120)),
]

# Sentences and topics in each language of the site, so search and topic pages
# work with each language's own stemmer and script.
TEXTS = {
    "en": (
        ["A new home by the sea", "The bakery on our street", "Learning the language", "My first winter"],
        [
            "When I arrived I knew nobody in the city.",
            "Our neighbours brought bread and showed us the market.",
            "Today I teach football to the children of the street.",
            "The bakeries open early and everyone says good morning.",
            "I still write to my grandmother every Sunday.",
        ],
        ["neighbours", "work", "school", "football", "food", "family", "language", "music"],
    ),
    "fr": (
        ["Une nouvelle maison", "La boulangerie du quartier", "Apprendre le français", "Mon premier hiver"],
        [
            "Quand je suis arrivé, je ne connaissais personne dans la ville.",
            "Nos voisins nous ont apporté du pain et montré le marché.",
            "Aujourd'hui j'entraîne les enfants de la rue au football.",
            "Les boulangeries ouvrent tôt et tout le monde se salue.",
        ],
        ["voisins", "travail", "école", "cuisine", "famille", "musique"],
    ),
    "es": (
        ["Una casa nueva", "La panadería del barrio", "Aprender el idioma", "Mi primer invierno"],
        [
            "Cuando llegué no conocía a nadie en la ciudad.",
            "Los vecinos nos trajeron pan y nos enseñaron el mercado.",
            "Hoy entreno al fútbol a los niños de la calle.",
            "Las panaderías abren temprano y todos se saludan.",
        ],
        ["vecinos", "trabajo", "escuela", "cocina", "familia", "música"],
    ),
    "ru": (
        ["Новый дом", "Пекарня на нашей улице", "Учить язык", "Моя первая зима"],
        [
            "Когда я приехал, я никого не знал в городе.",
            "Соседи принесли нам хлеб и показали рынок.",
            "Сегодня я тренирую детей нашей улицы по футболу.",
            "Пекарни открываются рано, и все здороваются.",
        ],
        ["соседи", "работа", "школа", "кухня", "семья", "музыка"],
    ),
    "ar": (
        ["بيت جديد", "المخبز في شارعنا", "تعلم اللغة", "شتائي الأول"],
        [
            "عندما وصلت لم أكن أعرف أحدا في المدينة.",
            "جلب لنا الجيران الخبز وأرونا السوق.",
            "اليوم أدرب أطفال الحي على كرة القدم.",
            "تفتح المخابز باكرا والجميع يلقي التحية.",
        ],
        ["جيران", "عمل", "مدرسة", "طعام", "عائلة", "موسيقى"],
    ),
    "zh-hans": (
        ["新的家", "我们街上的面包店", "学习语言", "我的第一个冬天"],
        [
            "我刚到的时候在这个城市谁也不认识。",
            "邻居们给我们带来面包、带我们去市场。",
            "今天我教街上的孩子们踢足球。",
            "面包店很早开门、大家互相问好。",
        ],
        ["邻居", "工作", "学校", "美食", "家庭", "音乐"],
    ),
    "nl": (
        ["Een nieuw thuis", "De bakkerij in onze straat", "De taal leren", "Mijn eerste winter"],
        [
            "Toen ik aankwam kende ik niemand in de stad.",
            "De buren brachten brood en lieten ons de markt zien.",
            "Vandaag train ik de kinderen uit de straat in voetbal.",
            "De bakkerijen gaan vroeg open en iedereen groet elkaar.",
        ],
        ["buren", "werk", "school", "eten", "familie", "muziek"],
    ),
}


class Command(BaseCommand):
    help = (
        "Fill a THROWAWAY database with a campaign-size dataset (stories, pledges, events) "
        "in bulk, counters exact. Refuses a database with content unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=100_000)
        parser.add_argument("--pledges", type=int, default=1_000_000)
        parser.add_argument("--events", type=int, default=500)
        parser.add_argument("--signups", type=int, default=20_000)
        parser.add_argument("--photos", type=int, default=PHOTOS, help="Distinct photos, shared.")
        parser.add_argument("--force", action="store_true", help="Add to a database that has content.")
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args, **options):
        has_content = Story.objects.exists() or Pledge.objects.exists() or Event.objects.exists()
        if has_content and not options["force"]:
            raise CommandError(
                "This database already has content; seed_scale is for throwaway databases "
                "(use --force to add to it anyway)."
            )
        self.rng = random.Random(options["seed"])  # noqa: S311 (made-up benchmark data)
        self.progress = sys.stderr if options["verbosity"] else None
        started = time.perf_counter()
        with transaction.atomic():
            campaign = self.campaign()
            self.stories(options["stories"], options["photos"])
            self.pledges(campaign, options["pledges"])
            self.events(campaign, options["events"], options["signups"])
            self.step("counters", lambda: campaign.repair_pledge_counts())
            # COPY sends no signals: tell the page cache itself (together.pagecache).
            pagecache.content_changed()
        if connection.vendor == "postgresql":
            self.step("VACUUM ANALYZE", self.analyze)
        self.stdout.write(
            f"Seeded {options['stories']:,} stories, {options['pledges']:,} pledges, "
            f"{options['events']:,} events, {options['signups']:,} sign-ups "
            f"in {time.perf_counter() - started:.0f} s."
        )

    # -- helpers -------------------------------------------------------------

    def bar(self, total, what):
        return tqdm(total=total, desc=what, unit=" rows", file=self.progress, disable=self.progress is None)

    def step(self, what, work):
        started = time.perf_counter()
        work()
        if self.progress is not None:
            self.progress.write(f"{what}: {time.perf_counter() - started:.1f} s\n")

    def analyze(self):
        # Fresh planner statistics and visibility map, as autovacuum gives a
        # live site: after COPY without VACUUM, every index-only scan reads
        # the table too (the story list's filter choices took 120 ms at
        # 100,000 stories instead of 15). VACUUM cannot run in a transaction
        # (tests): statistics only there.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(statement)

    def campaign(self):
        campaign = Campaign.objects.filter(slug="together").first()
        if campaign is None:
            fields = {
                "title": "TOGETHER: respect, safety and dignity for all",
                "summary": "A United Nations campaign for refugees, migrants and their hosts.",
                "body": "Pledge your support.",
                "pledge_text": "I pledge to treat refugees and migrants with respect and dignity.",
                "starts_on": LAUNCHED.date(),
                "pledge_goal": 2_000_000,
            }
            campaign = Campaign.objects.create(slug="together", **in_english(Campaign, fields))
        return campaign

    # -- stories -------------------------------------------------------------

    def stories(self, count, photo_count):
        if not count:
            return
        photos = [self.photo(index) for index in range(photo_count)]
        topics = {
            language: [get_or_create_topic(name) for name in names]
            for language, (_titles, _sentences, names) in TEXTS.items()
        }
        ids = bulk.next_ids(Story, count)
        languages = list(TEXTS)
        now = datetime.now(UTC)
        tagged = []

        def build():
            for n, pk in enumerate(ids):
                language = languages[n % len(languages)]
                titles, sentences, _names = TEXTS[language]
                title = f"{titles[n % len(titles)]} {pk}"
                body = "\n\n".join(self.rng.sample(sentences, 3))
                published = now - timedelta(minutes=7 * (count - n))
                story = Story(
                    pk=pk,
                    title=title,
                    body=body,
                    teller_role=Story.TellerRole.choices[n % 3][0],
                    language=language,
                    site_language=language,
                    consent_version="scale",
                    consented_at=published,
                    sharing=Story.Sharing.values[n % len(Story.Sharing.values)],
                    sharing_consent_version="scale",
                    sharing_chosen_at=published,
                    status=Story.Status.PUBLISHED,
                    submitted_at=published - timedelta(days=1),
                    waiting_since=published - timedelta(days=1),
                    decided_at=published,
                    published_at=published,
                    slug=f"scale-{pk}",
                    privacy_hint_count=0,
                    is_featured=n % 997 == 0,
                )
                if n % 5 == 0 and photos:
                    story.photo_renditions = photos[n % len(photos)]
                    story.photo_alt_text = "A drawn landscape: hills under a wide sky."
                    story.photo_people_consented = True
                if connection.vendor != "postgresql":
                    story.search_words = search.search_words(title, body, language)
                for tag in self.rng.sample(topics[language], 1 + n % 3):
                    tagged.append((pk, tag.pk))
                bar.update()
                yield story

        with self.bar(count, "stories") as bar:
            bulk.insert(Story, build())
        with self.bar(len(tagged), "topics") as bar:
            tag_ids = bulk.next_ids(TaggedStory, len(tagged))
            bulk.insert(
                TaggedStory,
                (
                    TaggedStory(pk=pk, content_object_id=story_id, tag_id=tag_id)
                    for pk, (story_id, tag_id) in zip(tag_ids, tagged, strict=True)
                ),
            )
            bar.update(len(tagged))
        bulk.reset_sequences(Story, TaggedStory)
        if connection.vendor == "postgresql":
            self.step("search vectors", lambda: self.search_vectors(ids[0]))

    def photo(self, index):
        drawing = landscape(PALETTES[index % len(PALETTES)], seed=index, size=(800, 500))
        image = clean_upload(SimpleUploadedFile("scale.jpg", drawing))
        return [asdict(rendition) for rendition in save_renditions(image, prefix="stories")]

    def search_vectors(self, first_id):
        """What SearchedText.save stores, built by PostgreSQL in each language."""
        with connection.cursor() as cursor:
            for language in TEXTS:
                cursor.execute(
                    "UPDATE stories_story SET search_vector ="
                    " setweight(to_tsvector(%s::regconfig, coalesce(title, '')), 'A')"
                    " || setweight(to_tsvector(%s::regconfig, coalesce(body, '')), 'B')"
                    " WHERE id >= %s AND language = %s",
                    [search.config_of(language), search.config_of(language), first_id, language],
                )

    # -- pledges -------------------------------------------------------------

    def pledges(self, campaign, count):
        if not count:
            return
        ids = bulk.next_ids(Pledge, count)
        # Addresses beyond any the demo uses (supporter<n>@together.example).
        offset = 10_000_000 + ids[0]
        spacing = max(1, int((datetime.now(UTC) - LAUNCHED).total_seconds() // max(count, 1)))

        def build():
            for start in range(0, count, CHUNK):
                size = min(CHUNK, count - start)
                for i, pledge in enumerate(build_pledges(campaign, size, start=offset + start), start):
                    pledge.pk = ids[i]
                    pledge.country = SCALE_COUNTRIES[(i * 7 + i // 13) % len(SCALE_COUNTRIES)]
                    created = LAUNCHED + timedelta(seconds=spacing * i)
                    pledge.created_at = pledge.confirmation_sent_at = created
                    # One in fifty never confirmed (the link expired): not counted.
                    pledge.confirmed_at = None if i % 50 == 49 else pledge.created_at + timedelta(minutes=5)
                    yield pledge
                bar.update(size)

        with self.bar(count, "pledges") as bar:
            bulk.insert(Pledge, build())
        bulk.reset_sequences(Pledge)

    # -- events and sign-ups -------------------------------------------------

    def events(self, campaign, count, signups):
        if not count:
            return
        ids = bulk.next_ids(Event, count)
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        events = []
        for n, pk in enumerate(ids):
            # Half are over, half to come: both lists of the events page fill.
            starts = now + timedelta(days=(n - count // 2) * 2, hours=10)
            fields = in_english(
                Event,
                {
                    "title": f"TOGETHER meeting {pk}",
                    "summary": "Neighbours, refugees and migrants meet over coffee.",
                    "description": "Come and meet the people of the neighbourhood.\n\nEveryone is welcome.",
                    "venue_name": "Community centre",
                    "address": "Rue de la Loi 1, 1000 Brussels, Belgium",
                },
            )
            events.append(
                Event(
                    pk=pk,
                    campaign=campaign,
                    slug=f"scale-meeting-{pk}",
                    kind=Event.Kind.values[n % len(Event.Kind.values)],
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    time_zone="Europe/Brussels",
                    places=None,
                    signups_open_at=starts - timedelta(days=60),
                    signups_close_at=starts - timedelta(hours=1),
                    **fields,
                )
            )
        with self.bar(count, "events") as bar:
            bulk.insert(Event, events)
            bar.update(count)
        signup_ids = bulk.next_ids(SignUp, signups)

        def build():
            for n, pk in enumerate(signup_ids):
                email = f"walker{pk}@together.example"
                signed = now - timedelta(days=90, minutes=n)
                bar.update()
                yield SignUp(
                    pk=pk,
                    event_id=ids[n % count],
                    name="Sam Walker",
                    email=email,
                    email_normalised=normalise_email(email),
                    role=SignUp.Role.values[n % len(SignUp.Role.values)],
                    nationality=SCALE_COUNTRIES[n % len(SCALE_COUNTRIES)],
                    language="en",
                    status=SignUp.Status.CONFIRMED,
                    created_at=signed,
                    confirmed_at=signed + timedelta(minutes=5),
                )

        with self.bar(signups, "sign-ups") as bar:
            bulk.insert(SignUp, build())
        bulk.reset_sequences(Event, SignUp)
        # The places each event's sign-ups hold, counted as SignUp.confirm counts them.
        taken = (
            SignUp.objects.filter(event=models.OuterRef("pk"), status=SignUp.Status.CONFIRMED)
            .order_by()
            .values("event")
            .annotate(total=models.Count("pk"))
            .values("total")
        )
        Event.objects.filter(pk__in=ids).update(
            places_taken=models.functions.Coalesce(models.Subquery(taken), 0)
        )
