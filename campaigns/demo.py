"""Demo content for campaigns: the TOGETHER campaign as launched in 2016,
a few hundred pledges from many countries, its coalition of partners and its
press releases."""

import io
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from PIL import Image, ImageDraw, ImageFont

from campaigns.demo_translations import translated_columns
from campaigns.models import (
    Campaign,
    Event,
    MediaKitItem,
    MediaKitItemKind,
    MediaKitUsage,
    Partner,
    PartnerKind,
    Pledge,
    PledgeSource,
    PressContact,
    PressRelease,
    SignUp,
)
from campaigns.translation import SOURCE_LANGUAGE
from together.images import clean_upload
from together.mail import normalise_email

DEMO_CONFIRMED_PLEDGES = 420
DEMO_UNCONFIRMED_PLEDGES = 6
# Weighted so the breakdown looks like a real campaign's: a few countries
# bring most supporters, many bring a few.
DEMO_COUNTRIES = (
    ["DE"] * 40 + ["BE"] * 34 + ["FR"] * 26 + ["IT"] * 22 + ["ES"] * 18 + ["US"] * 16 + ["SE"] * 14
    + ["GB"] * 12 + ["NL"] * 11 + ["TR"] * 10 + ["CA"] * 9 + ["JO"] * 8 + ["LB"] * 8 + ["UG"] * 7
    + ["KE"] * 7 + ["CO"] * 6 + ["BR"] * 6 + ["IN"] * 5 + ["SY"] * 5 + ["AF"] * 5 + ["UA"] * 5
    + ["NG"] * 4 + ["ET"] * 4 + ["GR"] * 4 + ["PL"] * 4 + ["MX"] * 3 + ["PH"] * 3 + ["JP"] * 3
    + ["AU"] * 3 + ["ZA"] * 3 + ["PK"] * 2 + ["BD"] * 2 + ["AR"] * 2 + ["CH"] * 2 + ["IE"] * 2
    + ["PT"] * 2 + ["SN"] * 2 + ["MA"] * 2 + ["TN"] * 1 + ["CL"] * 1 + ["NZ"] * 1 + ["LU"] * 1
)  # fmt: skip
DEMO_FIRST_NAMES = [
    "Amina",
    "Ahmad",
    "Lina",
    "Jonas",
    "Sofia",
    "Yusuf",
    "Maria",
    "Omar",
    "Elena",
    "Tariq",
    "Grace",
    "Samuel",
    "Nour",
    "Lucas",
    "Fatima",
    "Hugo",
    "Aisha",
    "Mateo",
    "Leila",
    "Daniel",
    "Zainab",
    "Emma",
    "Karim",
    "Chloé",
    "Hassan",
    "Ingrid",
    "Mariam",
    "Pablo",
    "Selin",
    "Kwame",
    "Priya",
    "Noah",
]
DEMO_SURNAMES = [
    "Haddad",
    "Peeters",
    "Rossi",
    "Okafor",
    "Schmidt",
    "Dubois",
    "Kaya",
    "Hansen",
    "Silva",
    "Novak",
    "Mensah",
    "Garcia",
]
DEMO_MESSAGES = [
    "My grandparents were refugees. Welcome, neighbours.",
    "We learned Arabic recipes and our neighbours learned Flemish songs. Together is better.",
    "Every person deserves respect, safety and dignity.",
    "I volunteer at the language café every Thursday: come and join us!",
]


def build_pledges(campaign, count, *, start=0, confirmed=True, seed=2016):
    """Unsaved pledges for bulk_create, deterministic for a given seed.

    For demo content and benchmarks only: pledges saved this way bypass
    Pledge.confirm(), so the caller must run campaign.repair_pledge_counts()."""
    rng = random.Random(seed + start)  # noqa: S311 (made-up demo data, not security)
    launched = datetime(2016, 9, 19, 12, tzinfo=UTC)
    sources = (
        [PledgeSource.CAMPAIGN_PAGE] * 8 + [PledgeSource.PARTNER_WIDGET] * 3 + [PledgeSource.EVENT_STAND]
    )
    pledges = []
    for n in range(start, start + count):
        created = launched + timedelta(minutes=37 * n)
        email = f"supporter{n}@together.example"
        pledges.append(
            Pledge(
                campaign=campaign,
                name=f"{rng.choice(DEMO_FIRST_NAMES)} {rng.choice(DEMO_SURNAMES)}",
                email=email,
                email_normalised=normalise_email(email),
                country=rng.choice(DEMO_COUNTRIES),
                show_publicly=rng.random() < 0.4,
                keep_informed=rng.random() < 0.3,
                source=rng.choice(sources),
                language="en",
                created_at=created,
                confirmation_sent_at=created,
                confirmed_at=created + timedelta(minutes=5) if confirmed else None,
            )
        )
    return pledges


def get_or_create_in_english(model, *, defaults, **lookup):
    """``model.objects.get_or_create`` with ``defaults`` written in English (see in_english)."""
    return model.objects.get_or_create(**lookup, defaults=in_english(model, defaults))


def in_english(model, fields):
    """``fields`` with each translated one (campaigns/translation.py) named by
    its English column: the demo is written in English whatever language is
    active when it is loaded."""
    translated = translator.get_options_for_model(model).all_fields
    return {
        build_localized_fieldname(name, SOURCE_LANGUAGE) if name in translated else name: value
        for name, value in fields.items()
    }


def add_translations(instance, key=None, **placeholders):
    """Give the demo object its texts in the other languages
    (campaigns/demo_translations), where a language's text is still empty: a
    second run changes nothing, and neither does it undo an edit."""
    columns = translated_columns(instance._meta.model_name, key or instance.slug, **placeholders)
    missing = [column for column in columns if not getattr(instance, column)]
    for column in missing:
        setattr(instance, column, columns[column])
    if missing:
        instance.save(update_fields=missing)


def load(stdout):
    campaign, _created = get_or_create_in_english(
        Campaign,
        slug="together",
        defaults={
            "title": "TOGETHER: respect, safety and dignity for all",
            "summary": (
                "A United Nations campaign, welcomed by all 193 Member States, to change negative "
                "perceptions of refugees and migrants and to bring them closer to the communities "
                "that host them."
            ),
            "body": (
                "The Secretary-General launched TOGETHER at the UN Summit for Refugees and Migrants "
                "on 19 September 2016, where all 193 Member States welcomed it and committed to "
                "carrying it out.\n\n"
                "The campaign runs until the second half of 2018, when Member States are to adopt "
                "the Global Compacts on Refugees and on Migration. Until then, UN agencies, "
                "governments, businesses, civil society and citizens act under one banner against "
                "xenophobia."
            ),
            "objectives": (
                "Build a coalition of UN agencies, Member States, the private sector and civil "
                "society against rising xenophobia.\n"
                "Promote global action for non-discrimination and the acceptance of refugees and "
                "migrants.\n"
                "Tell a persuasive story of solidarity that shows the shared benefits of migration "
                "and takes the concerns of host communities seriously.\n"
                "Build empathy through stories by and about refugees, migrants and host communities."
            ),
            "pledge_text": (
                "I stand TOGETHER with refugees and migrants. I will treat everyone with respect, "
                "speak up against discrimination, and welcome my new neighbours."
            ),
            "pledge_goal": 10_000,
            "starts_on": date(2016, 9, 19),
            "ends_on": date(2018, 12, 31),
            "is_active": True,
        },
    )
    add_translations(campaign)
    load_pledges(campaign, stdout)
    load_partners_and_press()
    load_events(campaign)


# The real partners are named in the 2017 press release below; the others are
# invented, and marked as demo. A logo is (initials, colour) for _initials_logo.
DEMO_PARTNERS = [
    {
        "slug": "iom",
        "name": "International Organization for Migration (IOM)",
        "kind": PartnerKind.UN_AGENCY,
        "description": (
            "The UN Migration Agency. Its office for Belgium and Luxembourg formed the UN Migration "
            "team that ran the 20 km of Brussels in 2017."
        ),
        "website": "https://www.iom.int",
        "logo": ("IOM", "#0b4f8a"),
    },
    {
        "slug": "unric",
        "name": "United Nations Regional Information Centre for Western Europe (UNRIC)",
        "kind": PartnerKind.UN_AGENCY,
        "description": (
            "From Brussels, it tells the people of Western Europe about the work of the United "
            "Nations. It backed the UN team at the 20 km of Brussels."
        ),
        "website": "https://unric.org",
        "logo": ("UN", "#1d6b8f"),
    },
    {
        "slug": "play-4-peace",
        "name": "Play 4 Peace",
        "kind": PartnerKind.CIVIL_SOCIETY,
        "description": (
            "An association whose members ran and walked with the UN Migration team at the 20 km of Brussels."
        ),
        "logo": ("P4P", "#1d6b36"),
    },
    {
        "slug": "harbour-lights",
        "name": "Harbour Lights Welcome Network",
        "kind": PartnerKind.CIVIL_SOCIETY,
        "description": "Volunteers who pair newcomers with neighbours for language practice and meals.",
        "logo": ("HL", "#8a3b12"),
        "is_demo": True,
    },
    {
        "slug": "meridian-freight",
        "name": "Meridian Freight & Logistics",
        "kind": PartnerKind.PRIVATE_SECTOR,
        "description": (
            "A transport company offering paid traineeships to refugees who are starting a career "
            "in logistics."
        ),
        "logo": ("MF", "#5b3a8c"),
        "is_demo": True,
    },
    {
        "slug": "northbridge-centre",
        "name": "Northbridge Centre for Migration Studies",
        "kind": PartnerKind.ACADEMIA,
        "description": (
            "University researchers who share what studies show about migration with schools and local media."
        ),
        "logo": ("NC", "#6b4e16"),
        "is_demo": True,
    },
]

PRESS_RELEASE_2017_BODY = """\
IOM, the UN Migration Agency, has formed a team called "UN Migration" for this year's 20 km of \
Brussels, the 38th, on Sunday 28 May. Running and walking side by side, its members want to show \
that diversity makes our societies stronger, and to help people see migration, migrants and refugees \
in a fairer light.

The team takes part in support of TOGETHER, the global initiative led by the United Nations against \
racism and xenophobia, which sets out to change how refugees and migrants are seen and treated.

TOGETHER began on 19 September 2016, at the summit the United Nations held on refugees and migrants. \
It joins the 193 Member States of the United Nations, businesses, civil society, universities and \
individual citizens in a worldwide partnership for diversity, non-discrimination and the acceptance \
of refugees and migrants.

With the backing of the United Nations Regional Information Centre for Western Europe (UNRIC), the \
team brings together some 50 people: staff of several UN organisations, members of the Play 4 Peace \
association and members of the public.

For Caroline Petit, Deputy Director of UNRIC, few things bring people together as well as sport, \
with the courage, effort, competition and taking part that it asks of everyone. Wherever we come \
from, she says, we share the same hopes and fears, and those who fear migrants and refugees need to \
see how alike we are; in her view, TOGETHER does much to build that common outlook. She is looking \
forward to walking on Sunday with about 50 UN colleagues of 15 nationalities, many of whom have a \
migration story of their own.

For the first time, the team will also run an information stand, at the foot of the Cinquantenaire \
arch. Visitors can talk with the team there and find out about the campaign and about what the \
United Nations does in Belgium, in Europe and around the world. The team will hand out balloons, \
bracelets and bags.

One of the biggest events in Belgium, the 20 km of Brussels welcomes some 40,000 runners and walkers \
of 131 nationalities. Its patrons are the three main institutions of the European Union: the \
Commission, the Parliament and the Council."""

# The contact named by the 2017 press release.
PRESS_CONTACT_IOM_BELGIUM = {
    "name": "Géraldine d'Hoop",
    "role": "Information and Communication Head of Unit, IOM Country Office for Belgium and Luxembourg",
    "email": "gdhoop@iom.int",
    "phone": "+32 2 287 74 12",
    "languages": "English, Français, Nederlands",
}


def load_partners_and_press():
    """The coalition behind TOGETHER (real partners from the 2017 press release, and
    a few invented ones marked as demo) and that press release, in our own words."""
    campaign = Campaign.objects.get(slug="together")
    for position, fields in enumerate(DEMO_PARTNERS):
        defaults = {key: value for key, value in fields.items() if key not in {"slug", "logo"}}
        partner, created = get_or_create_in_english(
            Partner, slug=fields["slug"], defaults={**defaults, "position": position}
        )
        if created:
            partner.campaigns.add(campaign)
            partner.replace_logo(clean_upload(ContentFile(_initials_logo(*fields["logo"]))))
        add_translations(partner)

    press_release, _created = get_or_create_in_english(
        PressRelease,
        slug="un-migration-team-runs-the-20-km-of-brussels",
        defaults={
            "title": "A UN team runs the 20 km of Brussels for refugees and migrants",
            "published_at": datetime(2017, 5, 26, 10, 0, tzinfo=ZoneInfo("Europe/Brussels")),
            "summary": (
                "Some 50 people from UN organisations, the Play 4 Peace association and the public "
                "will run the 20 km of Brussels on Sunday 28 May as one team, in support of TOGETHER."
            ),
            "body": PRESS_RELEASE_2017_BODY,
            "campaign": campaign,
        },
    )
    add_translations(press_release)
    contact, _created = get_or_create_in_english(
        PressContact, email=PRESS_CONTACT_IOM_BELGIUM["email"], defaults=PRESS_CONTACT_IOM_BELGIUM
    )
    add_translations(contact, contact.email)
    press_release.contacts.add(contact)
    load_media_kit(campaign)


def load_media_kit(campaign):
    """The campaign's logo in its media kit (a stand-in drawn here, marked as such)."""
    logo, created = get_or_create_in_english(
        MediaKitItem,
        campaign=campaign,
        kind=MediaKitItemKind.LOGO,
        defaults={
            "caption": "The TOGETHER logo (a stand-in for the demonstration)",
            "alt_text": "The letters TG, white on blue",
            "usage": MediaKitUsage.LOGO_UNALTERED,
        },
    )
    if created:
        logo.replace_image(clean_upload(ContentFile(_initials_logo("TG", "#005a8c"))))
    add_translations(logo, "together-logo")


def _initials_logo(initials, colour):
    """A stand-in logo: white initials on a coloured square, as PNG bytes."""
    image = Image.new("RGB", (480, 480), colour)
    font = ImageFont.load_default(size=400 // max(2, len(initials)))
    ImageDraw.Draw(image).text((240, 240), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- Events -------------------------------------------------------------------

BRUSSELS = ZoneInfo("Europe/Brussels")
CINQUANTENAIRE = {
    "venue_name": "Cinquantenaire Park",
    "address": "Parc du Cinquantenaire, 1000 Brussels, Belgium",
    "latitude": "50.839900",
    "longitude": "4.392900",
}
# The 2017 team: 50 people of 15 nationalities, and three more who confirmed
# once the places were gone (they wait, and are never counted or shown).
TEAM_NATIONALITIES = [
    "BE",
    "FR",
    "IT",
    "DE",
    "ES",
    "NL",
    "SY",
    "AF",
    "ER",
    "CD",
    "MA",
    "TR",
    "IN",
    "BR",
    "US",
]
FIRST_NAMES = ["Amina", "Luc", "Giulia", "Jonas", "Lucía", "Sanne", "Rami", "Farid", "Senait", "Grace"]
LAST_NAMES = ["Haddad", "Peeters", "Rossi", "Keller", "García", "Nkurunziza"]


def brussels(*args):
    return datetime(*args, tzinfo=BRUSSELS)


def load_events(campaign):
    team, created = get_or_create_in_english(
        Event,
        slug="un-migration-team-20-km-brussels-2017",
        defaults={
            "campaign": campaign,
            "title": "UN Migration team at the 38th 20 km of Brussels",
            "kind": Event.Kind.RUN,
            "summary": (
                "Fifty runners and walkers of fifteen nationalities crossed Brussels as one team, "
                "for refugees, migrants and the city that welcomes them."
            ),
            "description": (
                "On Sunday 28 May 2017 the UN Migration team ran and walked the 38th 20 km of Brussels "
                "together. Colleagues from UN organisations, members of the association Play 4 Peace and "
                "people who simply wanted to join in wore the same TOGETHER shirt: fifty people of fifteen "
                "nationalities, some of whom had arrived in Belgium only recently.\n\n"
                "The team took part under the patronage of the European Commission, the European "
                "Parliament and the Council of the EU. Every kilometre was a small statement: the people "
                "who leave their country and the people who welcome them are neighbours, colleagues and "
                "team-mates."
            ),
            "starts_at": brussels(2017, 5, 28, 10, 0),
            "ends_at": brussels(2017, 5, 28, 14, 0),
            "time_zone": "Europe/Brussels",
            **CINQUANTENAIRE,
            "places": 50,
            "signups_open_at": brussels(2017, 3, 1, 9, 0),
            "signups_close_at": brussels(2017, 5, 19, 12, 0),
        },
    )
    if created:
        load_team(team)
    add_translations(team)

    stand, _created = get_or_create_in_english(
        Event,
        slug="un-information-stand-20-km-brussels-2017",
        defaults={
            "campaign": campaign,
            "title": "UN information stand at the Cinquantenaire Arch",
            "kind": Event.Kind.STAND,
            "summary": (
                "Come and talk with us in front of the Cinquantenaire Arch, at the start and finish "
                "of the 20 km of Brussels."
            ),
            "description": (
                "While the runners were on the course, the UN information stand in front of the "
                "Cinquantenaire Arch was open to everyone. Volunteers talked with passers-by about the "
                "TOGETHER campaign and about the work of the United Nations in Belgium, in Europe and "
                "around the world, and answered questions about refugees and migrants.\n\n"
                "Children and adults went home with TOGETHER balloons, bracelets and bags."
            ),
            "starts_at": brussels(2017, 5, 28, 8, 30),
            "ends_at": brussels(2017, 5, 28, 15, 0),
            "time_zone": "Europe/Brussels",
            **CINQUANTENAIRE,
            "latitude": "50.840500",
            "longitude": "4.393300",
            "venue_name": "In front of the Cinquantenaire Arch",
            "places": None,
            "signups_open_at": brussels(2017, 3, 1, 9, 0),
            "signups_close_at": brussels(2017, 5, 26, 18, 0),
        },
    )
    add_translations(stand)

    race_day = next_20_km_of_brussels(timezone.localdate(timezone=BRUSSELS))
    next_team, _created = get_or_create_in_english(
        Event,
        slug=f"un-team-20-km-brussels-{race_day.year}",
        defaults={
            "campaign": campaign,
            "title": f"Run with the UN team at the 20 km of Brussels {race_day.year}",
            "kind": Event.Kind.RUN,
            "summary": "Run or walk the 20 km of Brussels in the TOGETHER team: everyone is welcome.",
            "description": (
                "The UN team lines up again at the 20 km of Brussels. Whether you run, walk or come to "
                "cheer, join a team where refugees, migrants and Brussels residents set off together.\n\n"
                "Places in the team are limited. When they are taken, you can still join the waiting "
                "list: if someone cancels, the first person waiting gets their place and an email."
            ),
            "starts_at": datetime.combine(race_day, datetime.min.time(), BRUSSELS).replace(hour=10),
            "ends_at": datetime.combine(race_day, datetime.min.time(), BRUSSELS).replace(hour=14),
            "time_zone": "Europe/Brussels",
            **CINQUANTENAIRE,
            "places": 50,
            "signups_open_at": timezone.now() - timedelta(days=1),
            "signups_close_at": datetime.combine(race_day - timedelta(days=7), datetime.min.time(), BRUSSELS),
        },
    )
    add_translations(next_team, "un-team-20-km-brussels-{year}", year=race_day.year)


def next_20_km_of_brussels(today):
    """The last Sunday of May, this year's if it is still to come."""
    for year in (today.year, today.year + 1):
        may_31 = date(year, 5, 31)
        race_day = may_31 - timedelta(days=(may_31.weekday() - 6) % 7)
        if race_day > today + timedelta(days=7):
            return race_day
    return race_day


def load_team(event):
    """The 2017 team's sign-ups, confirmed through the model as real ones
    are (without the emails): 50 places, then the waiting list."""
    for number in range(53):
        email = f"team-2017-{number:02}@together.example"
        signup = SignUp.objects.create(
            event=event,
            name=f"{FIRST_NAMES[number % 10]} {LAST_NAMES[number // 10]}",
            email=email,
            email_normalised=normalise_email(email),
            role=SignUp.Role.WALKER if number % 4 == 3 else SignUp.Role.RUNNER,
            nationality=TEAM_NATIONALITIES[number % 15] if number < 50 else "CA",
            language="en",
        )
        signup.confirm(notify=False)


def load_pledges(campaign, stdout):
    """Pledges in bulk, counted by the repair logic (idempotent: once only)."""
    if campaign.pledges.exists():
        return
    Pledge.objects.bulk_create(build_pledges(campaign, DEMO_CONFIRMED_PLEDGES))
    # A few recent, unconfirmed ones (they expire a week after being sent).
    unconfirmed = build_pledges(
        campaign, DEMO_UNCONFIRMED_PLEDGES, start=DEMO_CONFIRMED_PLEDGES, confirmed=False
    )
    for pledge in unconfirmed:
        pledge.created_at = pledge.confirmation_sent_at = timezone.now()
    Pledge.objects.bulk_create(unconfirmed)
    # Messages: some approved (shown), one left waiting for a moderator.
    with_message = list(campaign.pledges.confirmed().order_by("-confirmed_at")[: len(DEMO_MESSAGES) + 1])
    for pledge, message in zip(
        with_message, [*DEMO_MESSAGES, "Waiting for a moderator's approval."], strict=True
    ):
        pledge.message = message
        pledge.save(update_fields=["message"])
    for pledge in with_message[: len(DEMO_MESSAGES)]:
        pledge.approve_message(by=None)
    campaign.repair_pledge_counts()
    stdout.write(
        f"Campaign pledges: {DEMO_CONFIRMED_PLEDGES} confirmed, {DEMO_UNCONFIRMED_PLEDGES} unconfirmed."
    )
