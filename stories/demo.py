"""Demo stories: written for the demo, about invented people.

Idempotent: each story is looked up by its slug and created only if
missing. Photos are abstract landscapes drawn with Pillow (no people) and go
through together.images like a submitted photo. Moderation goes through the
Story methods, so the moderation log and the decision dates are real; the
dates are then spread over the past months so lists look lived in.

Demo stories have no email address: moderating them sends nothing. The
private links of two of them are printed, to try the storyteller's pages.

A demo translator (in the Translators group) has translated a few published
stories: the moderator published most of them, one waits for review.
"""

import io
import random
from dataclasses import asdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from stories.models import MODERATORS_GROUP, TRANSLATORS_GROUP, ModerationLogEntry, Story, StoryTranslation
from together.demo import DEMO_MODERATOR
from together.images import clean_upload, save_renditions

CONSENT_VERSION = "demo"

# A volunteer translator's account, for development only (its password is published).
DEMO_TRANSLATOR = ("translator", "together-translator")

# Each story: its fields, plus "status" (what the moderator did), "days_ago"
# (when it was sent), "photo" (a palette for a drawn landscape) and "tags".
STORIES = [
    {
        "slug": "the-bakery-on-the-corner-k7m2qa",
        "title": "The bakery on the corner",
        "body": (
            "When we arrived in the town it was raining, and we knew nobody. The first morning, the woman "
            "from the bakery on the corner gave my children two croissants and would not take my coins.\n\n"
            "She did it again the next day, and the day after. I did not speak French yet, so I helped her "
            "carry flour sacks from the van. After a month she asked if I wanted to learn to bake.\n\n"
            "Today I start work at four in the morning, in that same bakery. When a new family comes in and "
            "counts their coins, I know exactly what to do."
        ),
        "teller_role": "refugee",
        "naming": "first_name",
        "name": "Rami",
        "country_of_origin": "SY",
        "country_of_residence": "BE",
        "city_or_region": "Wallonia",
        "language": "en",
        "tags": ["work", "welcome", "food"],
        "status": "featured",
        "days_ago": 140,
        "photo": ((250, 170, 90), (120, 60, 90), (60, 40, 70)),
        "photo_alt_text": "A drawn sunrise over low hills in orange and purple.",
    },
    {
        "slug": "aprender-a-vivir-en-otra-ciudad-p3x8wd",
        "title": "Aprender a vivir en otra ciudad",
        "body": (
            "Llegué a Bogotá con una maleta y el número de teléfono de una prima. Los primeros meses vendí "
            "café en la calle, y cada mañana un señor mayor me compraba dos tazas aunque solo tomaba una.\n\n"
            "Un día me preguntó qué hacía yo antes de venir. Le dije que era maestra. Una semana después me "
            "presentó a la directora de la escuela de su barrio.\n\n"
            "Ahora enseño a leer a niños que, como mis hijos, empezaron su vida en otro país. "
            "Nunca supe si la segunda taza era para él."
        ),
        "teller_role": "migrant",
        "naming": "first_name",
        "name": "Daniela",
        "country_of_origin": "VE",
        "country_of_residence": "CO",
        "city_or_region": "Bogotá",
        "language": "es",
        "tags": ["education", "work", "kindness"],
        "status": "published",
        "days_ago": 120,
    },
    {
        "slug": "le-jardin-partage-m9t4rb",
        "title": "Le jardin partagé",
        "body": (
            "Derrière notre immeuble, il y avait un terrain vague que tout le monde évitait. Au printemps, "
            "une famille arrivée d'Érythrée a commencé à y planter des tomates, "
            "sans rien demander à personne.\n\n"
            "Au début, certains voisins se sont plaints. Puis Madame Lucie, quatre-vingts ans, est descendue "
            "avec ses graines de haricots. L'été suivant, nous étions quinze à arroser.\n\n"
            "Nous ne parlons pas toujours la même langue, mais nous savons tous quand il faut récolter."
        ),
        "teller_role": "host",
        "naming": "pseudonym",
        "name": "Une voisine",
        "country_of_residence": "FR",
        "city_or_region": "Région lyonnaise",
        "language": "fr",
        "tags": ["neighbours", "garden"],
        "status": "published",
        "days_ago": 110,
        "photo": ((150, 200, 230), (70, 140, 70), (40, 90, 50)),
        "photo_alt_text": "Drawn green fields under a pale blue sky.",
    },
    {
        "slug": "miftah-al-bayt-h2n6vc",
        "title": "مفتاح البيت",
        "body": (
            "ما زلت أحمل مفتاح بيتنا القديم في جيبي. لا أعرف إن كان الباب ما زال موجودًا، لكن المفتاح ثقيل "
            "بما يكفي لأتذكر.\n\n"
            "في المدينة التي نعيش فيها الآن، أعطانا جارنا مفتاحًا ثانيًا لبيته عندما سافر في الصيف، وقال: "
            "اسقوا النباتات وخذوا ما تحتاجونه من المطبخ.\n\n"
            "صار في جيبي مفتاحان. واحد لبيت فقدناه، وواحد لبيت فتح لنا بابه."
        ),
        "teller_role": "refugee",
        "country_of_origin": "SY",
        "country_of_residence": "DE",
        "language": "ar",
        "tags": ["home", "neighbours"],
        "status": "published",
        "days_ago": 100,
    },
    {
        "slug": "football-on-saturdays-q4w7ze",
        "title": "Football on Saturdays",
        "body": (
            "I have coached the under-twelves in our village for fifteen years. Two years ago, six boys from "
            "the reception centre turned up at the pitch in borrowed trainers and stood behind the fence.\n\n"
            "We had no spare shirts, so the parents of my players brought old ones from their attics. One of "
            "the new boys scored in his first match and ran the whole length of the pitch "
            "with his arms out.\n\n"
            "Half the village came to the final that year. I have never seen the stand so full."
        ),
        "teller_role": "host",
        "naming": "first_name",
        "name": "Ciarán",
        "country_of_residence": "IE",
        "city_or_region": "County Galway",
        "language": "en",
        "tags": ["sport", "children", "welcome"],
        "status": "published",
        "days_ago": 95,
    },
    {
        "slug": "my-mothers-recipe-notebook-b8c3jt",
        "title": "My mother's recipe notebook",
        "body": (
            "The only book we took with us was my mother's recipe notebook. Its cover is stained with "
            "pomegranate juice and the pages are held together with thread.\n\n"
            "In our new town I cooked from it for a neighbourhood festival. People queued for the rice with "
            "raisins and carrots and asked me to write the recipe down. A teacher translated it with me.\n\n"
            "Now the notebook has new pages, in a new language, in my handwriting next to hers."
        ),
        "teller_role": "refugee",
        "naming": "pseudonym",
        "name": "Nargis",
        "country_of_origin": "AF",
        "country_of_residence": "DE",
        "city_or_region": "Bavaria",
        "language": "en",
        "tags": ["food", "family", "memory"],
        "status": "published",
        "days_ago": 90,
        "photo": ((240, 220, 180), (200, 120, 60), (110, 70, 40)),
        "photo_alt_text": "Drawn sand-coloured dunes under a warm sky.",
    },
    {
        "slug": "night-shifts-and-morning-classes-f5r9gu",
        "title": "Night shifts and morning classes",
        "body": (
            "For three years I worked nights in a care home and went to nursing classes in the morning. I "
            "slept on the bus between the two.\n\n"
            "The residents became my first friends here. Mr Arthur, who was ninety-one, tested me on anatomy "
            "words at three in the morning when neither of us could sleep. When I passed my exams, the whole "
            "night staff signed a card.\n\n"
            "Now I am a registered nurse. I still visit Mr Arthur's room on my breaks, though someone else "
            "lives there now."
        ),
        "teller_role": "migrant",
        "naming": "pseudonym",
        "name": "Tala",
        "country_of_origin": "PH",
        "country_of_residence": "GB",
        "language": "en",
        "tags": ["work", "education", "health"],
        "status": "published",
        "days_ago": 85,
    },
    {
        "slug": "a-room-we-did-not-need-s2d6hy",
        "title": "A room we did not need",
        "body": (
            "After our children left home, their room stayed empty for four years. In the spring of 2022 we "
            "offered it to a mother and her daughter who had fled the war.\n\n"
            "We were nervous: we did not share a language, and we are not young. The first evenings "
            "we used a translation app at the kitchen table. Within a month, the daughter was "
            "translating for us.\n\n"
            "They have their own flat now, ten minutes away. They still come on Sundays, and the room "
            "still feels like theirs."
        ),
        "teller_role": "host",
        "naming": "first_name",
        "name": "Jonas",
        "country_of_residence": "DE",
        "city_or_region": "Saxony",
        "language": "en",
        "tags": ["housing", "welcome", "family"],
        "status": "published",
        "days_ago": 80,
    },
    {
        "slug": "writing-for-my-grandfather-v7k2ms",
        "title": "Writing for my grandfather",
        "body": (
            "My grandfather asked me to write this for him, because his hands shake now and he says his "
            "English is too old.\n\n"
            "He left his country twice in his life: once as a boy, once at eighty-two. The second time, he "
            "says, was harder, because he knew what leaving meant. What surprised him was the bus driver who "
            "waited every day at the stop near the shelter until he had sat down.\n\n"
            "He wants that driver to know that an old man noticed."
        ),
        "teller_role": "about_another",
        "about_person_consent": True,
        "country_of_origin": "UA",
        "country_of_residence": "PL",
        "language": "en",
        "tags": ["family", "kindness", "memory"],
        "content_note": "Mentions war.",
        "status": "published",
        "days_ago": 75,
    },
    {
        "slug": "what-the-sea-took-c3p8xn",
        "title": "What the sea took",
        "body": (
            "I do not write about the crossing. I write about the morning after, on the beach, when a "
            "fisherman put his jacket around my shoulders and said something I did not understand.\n\n"
            "Years later I learned the words. He had said: you are safe now, it is over.\n\n"
            "It was not over for a long time. But I think about him every time I am cold, and every time "
            "I see someone who needs a jacket more than I do."
        ),
        "teller_role": "refugee",
        "country_of_origin": "ER",
        "country_of_residence": "IT",
        "language": "en",
        "tags": ["journey", "kindness"],
        "content_note": "Mentions a dangerous sea crossing.",
        "status": "published",
        "days_ago": 70,
        "photo": ((170, 200, 220), (60, 110, 160), (20, 50, 90)),
        "photo_alt_text": "Drawn blue waves under a grey-blue sky.",
    },
    {
        "slug": "teaching-maths-in-a-tent-w8e4lk",
        "title": "Teaching maths in a tent",
        "body": (
            "In the settlement, the school was a tent with forty children and one blackboard. I had been an "
            "engineer, so the teachers asked me to help with maths.\n\n"
            "We had no paper, so the children drew numbers in the dust with sticks. When the rains came, we "
            "used bottle caps to count. The host community's school lent us chalk and, later, desks.\n\n"
            "Some of those children now study at the university in the capital. One wants to be an engineer."
        ),
        "teller_role": "refugee",
        "naming": "first_name",
        "name": "Deng",
        "country_of_origin": "SS",
        "country_of_residence": "UG",
        "city_or_region": "Northern Uganda",
        "language": "en",
        "tags": ["education", "children"],
        "status": "published",
        "days_ago": 65,
        "photo": ((240, 200, 120), (170, 120, 60), (90, 60, 30)),
        "photo_alt_text": "Drawn ochre plains under a yellow sky.",
    },
    {
        "slug": "the-new-nurse-on-our-ward-t6y3fd",
        "title": "The new nurse on our ward",
        "body": (
            "Our ward was short of three nurses for a whole winter. When Amal joined us, she had finished "
            "her training in another country and spent a year getting her diploma recognised.\n\n"
            "She brought a calm I had not seen in years. Patients who spoke no Swedish relaxed when she "
            "greeted them in Arabic; patients who spoke only Swedish asked for her by name after a week.\n\n"
            "I am writing this because people in my town still ask whether newcomers take our jobs. On my "
            "ward, one of them saved our winter."
        ),
        "teller_role": "host",
        "naming": "first_name",
        "name": "Karin",
        "country_of_residence": "SE",
        "language": "en",
        "tags": ["health", "work"],
        "status": "published",
        "days_ago": 60,
    },
    {
        "slug": "cricket-in-the-park-j4u9bp",
        "title": "Cricket in the park",
        "body": (
            "Every Sunday we played cricket in the park with a tennis ball and a plank for a bat. Local "
            "children watched from the swings, and one day a girl asked if she could bowl.\n\n"
            "She bowled me out with her third ball. After that, her brothers came, then their father, who "
            "had played rounders at school and claimed it was the same game.\n\n"
            "We now have a proper bat, two teams and an argument every week about the rules."
        ),
        "teller_role": "migrant",
        "naming": "first_name",
        "name": "Imran",
        "country_of_origin": "PK",
        "country_of_residence": "GB",
        "city_or_region": "West Midlands",
        "language": "en",
        "tags": ["sport", "neighbours"],
        "status": "published",
        "days_ago": 50,
    },
    {
        "slug": "my-two-schools-r2z7qe",
        "title": "My two schools",
        "body": (
            "I have had two schools in my life. In the first one, I was the best at drawing. In the second "
            "one, at first I could not understand anything and I did not draw at all.\n\n"
            "Then my teacher asked me to draw the story we were reading, because I could not write it yet. "
            "She put my drawing on the wall. Now I can write the stories too, but I still draw them.\n\n"
            "My mother helped me send this."
        ),
        "teller_role": "refugee",
        "is_minor": True,
        "guardian_consent": True,
        "country_of_residence": "NL",
        "language": "en",
        "tags": ["children", "education"],
        "status": "published",
        "days_ago": 40,
    },
    {
        "slug": "neighbours-in-gaziantep-e5g8ha",
        "title": "Neighbours in Gaziantep",
        "body": (
            "Our street changed quickly. Within a year, half the shops had signs in two languages. Some "
            "people were angry, and I understood them: rents went up and work was hard to find.\n\n"
            "What changed my mind was small. My neighbour's son fixed my washing machine and refused money. "
            "His mother sent baklava for my daughter's wedding, and it was better than ours.\n\n"
            "We still argue about whose baklava is better. That is what neighbours do."
        ),
        "teller_role": "host",
        "country_of_residence": "TR",
        "city_or_region": "Gaziantep",
        "language": "en",
        "tags": ["neighbours", "food"],
        "status": "published",
        "days_ago": 30,
        "photo": ((230, 190, 200), (180, 100, 120), (90, 50, 80)),
        "photo_alt_text": "Drawn pink and plum hills at dusk.",
    },
    {
        "slug": "the-interpreter-n6m3ck",
        "title": "The interpreter",
        "body": (
            "For nine years my job was to make two people understand each other. I translated for doctors, "
            "engineers and soldiers, and I was proud of it.\n\n"
            "Now I am the one who needs an interpreter at the doctor's. It is strange to sit on the other "
            "side of the table. The young woman who translates for me is patient. I tell her she is good, "
            "and I mean it as a professional."
        ),
        "teller_role": "refugee",
        "country_of_origin": "AF",
        "country_of_residence": "NL",
        "language": "en",
        "tags": ["work", "language"],
        "status": "pending",
        "days_ago": 3,
    },
    {
        "slug": "first-winter-u9b5tr",
        "title": "First winter",
        "body": (
            "We had never seen snow. My son thought it was sugar and tried to eat it. The neighbours laughed "
            "and then taught him to build a snowman with a carrot nose.\n\n"
            "The cold was harder than the snow. A woman from the church brought us boots in every size, "
            "because she did not know our sizes and did not want to guess wrong.\n\n"
            "We kept the boots that were too big. My son wears them this winter."
        ),
        "teller_role": "refugee",
        "country_of_origin": "SY",
        "country_of_residence": "CA",
        "language": "en",
        "tags": ["welcome", "children"],
        "status": "pending",
        "days_ago": 2,
    },
    {
        "slug": "fixing-bicycles-d7h2wv",
        "title": "Fixing bicycles",
        "body": (
            "At the shelter there were thirty broken bicycles behind the kitchen. I was a mechanic at home, "
            "so I asked for tools. Within a month, twenty of them worked again.\n\n"
            "Now, on Wednesday afternoons, people from the town bring their bicycles to our workshop. They "
            "pay what they want. Some pay with coffee, and that is fine too."
        ),
        "teller_role": "refugee",
        "naming": "first_name",
        "name": "Yousif",
        "country_of_origin": "SD",
        "country_of_residence": "FR",
        "language": "en",
        "tags": ["work", "neighbours"],
        "status": "pending",
        "days_ago": 1,
    },
    {
        "slug": "papers-a3f6yn",
        "title": "Papers",
        "body": (
            "For two years my life was papers: forms, stamps, copies of copies. I learned the opening hours "
            "of every office in the city by heart.\n\n"
            "The clerk at the foreigners' office, the one with the green glasses, once stayed twenty minutes "
            "after closing to finish my file. My employer at the warehouse on the harbour gave me the "
            "mornings off for every appointment."
        ),
        "teller_role": "migrant",
        "naming": "first_name",
        "name": "Oksana",
        "country_of_origin": "MD",
        "country_of_residence": "PT",
        "city_or_region": "Lisbon",
        "language": "en",
        "tags": ["work"],
        "status": "changes_requested",
        "moderator_note": (
            "Thank you for this story. The clerk's green glasses and the warehouse on the harbour could let "
            "someone recognise them or you. Could you describe them less precisely?"
        ),
        "days_ago": 6,
    },
    {
        "slug": "join-our-choir-concert-l8q4sd",
        "title": "Join our choir concert",
        "body": (
            "Our choir sings songs from twelve countries. Our next concert is on the first Saturday of the "
            "month at the community hall, tickets at the door, children free. Rehearsals are on Tuesdays "
            "and everyone is welcome, whatever their voice. Bring a friend and a cake for the break."
        ),
        "teller_role": "host",
        "country_of_residence": "NL",
        "language": "en",
        "tags": ["music"],
        "status": "declined",
        "decline_reason_code": "not_personal",
        "moderator_note": (
            "This is a lovely invitation, but we publish personal stories here. If a moment in your choir "
            "changed how you see your neighbours, we would love to read about it."
        ),
        "days_ago": 20,
    },
]


# Translations by the demo translator: the story's slug, the language, the
# title and text, and whether the moderator has published it yet.
TRANSLATIONS = [
    {
        "story": "miftah-al-bayt-h2n6vc",
        "language": "fr",
        "title": "La clé de la maison",
        "body": (
            "Je porte toujours la clé de notre ancienne maison dans ma poche. Je ne sais pas si la porte "
            "existe encore, mais la clé est assez lourde pour que je me souvienne.\n\n"
            "Dans la ville où nous vivons maintenant, notre voisin nous a donné un double de la clé de chez "
            "lui quand il est parti en voyage cet été, et il nous a dit : arrosez les plantes et prenez "
            "dans la cuisine ce dont vous avez besoin.\n\n"
            "J'ai maintenant deux clés dans ma poche. L'une pour une maison que nous avons perdue, l'autre "
            "pour une maison qui nous a ouvert sa porte."
        ),
        "published": True,
    },
    {
        "story": "the-bakery-on-the-corner-k7m2qa",
        "language": "es",
        "title": "La panadería de la esquina",
        "body": (
            "Cuando llegamos al pueblo llovía y no conocíamos a nadie. La primera mañana, la señora de la "
            "panadería de la esquina les dio dos cruasanes a mis hijos y no quiso aceptar mis monedas.\n\n"
            "Lo volvió a hacer al día siguiente, y al otro. Yo todavía no hablaba francés, así que la ayudé "
            "a descargar los sacos de harina de la furgoneta. Al cabo de un mes me preguntó si quería "
            "aprender a hacer pan.\n\n"
            "Hoy empiezo a trabajar a las cuatro de la mañana en esa misma panadería. Cuando entra una "
            "familia nueva y cuenta sus monedas, sé exactamente lo que tengo que hacer."
        ),
        "published": True,
    },
    {
        "story": "the-bakery-on-the-corner-k7m2qa",
        "language": "ar",
        "title": "المخبز في الزاوية",
        "body": (
            "عندما وصلنا إلى البلدة كانت السماء تمطر، ولم نكن نعرف أحدًا. في الصباح الأول، أعطت صاحبة "
            "المخبز في الزاوية أطفالي قطعتين من الكرواسون، ورفضت أن تأخذ نقودي.\n\n"
            "وفعلت ذلك مرة أخرى في اليوم التالي، والذي بعده. لم أكن أتكلم الفرنسية بعد، فساعدتها في حمل "
            "أكياس الطحين من الشاحنة. وبعد شهر سألتني إن كنت أريد أن أتعلم الخَبز.\n\n"
            "اليوم أبدأ عملي في الرابعة صباحًا، في المخبز نفسه. وعندما تدخل عائلة جديدة وتعدّ نقودها، "
            "أعرف تمامًا ما عليّ أن أفعل."
        ),
        "published": True,
    },
    {
        "story": "aprender-a-vivir-en-otra-ciudad-p3x8wd",
        "language": "en",
        "title": "Learning to live in another city",
        "body": (
            "I arrived in Bogotá with one suitcase and a cousin's phone number. For the first months I sold "
            "coffee in the street, and every morning an old man bought two cups from me, though he only "
            "ever drank one.\n\n"
            "One day he asked me what I did before I came. I told him I was a teacher. A week later he "
            "introduced me to the head of the school in his neighbourhood.\n\n"
            "Now I teach children to read who, like my own, began their lives in another country. "
            "I never found out whether the second cup was for him."
        ),
        "published": False,
    },
]


def landscape(palette, seed, size=(1200, 750)):
    """A drawn landscape: a sky gradient, a sun and layered hills; no people."""
    sky, hills, foreground = palette
    rng = random.Random(seed)  # noqa: S311 (shapes of a drawing, not a secret)
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    width, height = size
    for y in range(height):  # sky fading towards white at the horizon
        mix = min(1, y / (height / 2))
        draw.line([(0, y), (width, y)], fill=tuple(round(c + (255 - c) * mix * 0.6) for c in sky))
    sun_x, sun_r = rng.randint(width // 5, width * 4 // 5), rng.randint(40, 70)
    draw.ellipse((sun_x - sun_r, 90, sun_x + sun_r, 90 + 2 * sun_r), fill=(255, 236, 190))
    for layer, colour in enumerate((hills, foreground)):
        base = height // 2 + layer * height // 6
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base + rng.randint(-60, 60)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def load(stdout):
    moderator = get_user_model().objects.get(username=DEMO_MODERATOR[0])
    # The Moderators group comes from the stories data migration (when present).
    group = Group.objects.filter(name=MODERATORS_GROUP).first()
    if group is not None:
        moderator.groups.add(group)
    now = timezone.now()
    for index, spec in enumerate(STORIES):
        spec = dict(spec)
        slug = spec.pop("slug")
        if Story.objects.filter(slug=slug).exists():
            continue
        status, days_ago = spec.pop("status"), spec.pop("days_ago")
        tags, palette = spec.pop("tags"), spec.pop("photo", None)
        reason, note = spec.pop("decline_reason_code", ""), spec.pop("moderator_note", "")
        submitted_at = now - timedelta(days=days_ago)
        story = Story(
            slug=slug,
            consent_version=CONSENT_VERSION,
            consented_at=submitted_at,
            # The demo storytellers let their stories go everywhere (feed, share cards).
            sharing=spec.pop("sharing", Story.Sharing.PRESS),
            sharing_consent_version=CONSENT_VERSION,
            sharing_chosen_at=submitted_at,
            **spec,
        )
        if palette:
            photo = clean_upload(SimpleUploadedFile("landscape.jpg", landscape(palette, seed=index)))
            story.photo_renditions = [asdict(r) for r in save_renditions(photo, prefix="stories")]
            story.photo_people_consented = True
        story.submitted_at = story.waiting_since = submitted_at
        story.save()
        story.tags.set(tags)
        _moderate(story, status, moderator, reason=reason, note=note)
        # Decisions took a day or two; log entries and dates say so.
        decided_at = submitted_at + timedelta(hours=20 + index * 3)
        Story.objects.filter(pk=story.pk, decided_at__isnull=False).update(decided_at=decided_at)
        Story.objects.filter(pk=story.pk, published_at__isnull=False).update(published_at=decided_at)
        ModerationLogEntry.objects.filter(story=story).update(created_at=decided_at)

    for slug in ("fixing-bicycles-d7h2wv", "papers-a3f6yn"):
        story = Story.objects.get(slug=slug)
        stdout.write(f"Private link of the demo story “{story.title}”: {story.manage_url()}")

    _load_translations(_demo_translator(), moderator)
    stdout.write(f"  demo translator: {DEMO_TRANSLATOR[0]} / {DEMO_TRANSLATOR[1]}")


def _demo_translator():
    username, password = DEMO_TRANSLATOR
    translator, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@together.example", "is_staff": True}
    )
    if created:
        translator.set_password(password)
        translator.save(update_fields=["password"])
    # The Translators group comes from the stories data migration.
    group = Group.objects.filter(name=TRANSLATORS_GROUP).first()
    if group is not None:
        translator.groups.add(group)
    return translator


def _load_translations(translator, moderator):
    """Through the model's methods, so the moderation log shows them."""
    for spec in TRANSLATIONS:
        spec = dict(spec)
        story = Story.objects.get(slug=spec.pop("story"))
        published = spec.pop("published")
        if story.translations.filter(language=spec["language"]).exists():
            continue
        story_translation = StoryTranslation(story=story, **spec)
        story_translation.submit(by=translator)
        if published:
            story_translation.publish(by=moderator)


def _moderate(story, status, moderator, *, reason, note):
    if status in {"published", "featured"}:
        story.publish(by=moderator)
    if status == "featured":
        story.feature(by=moderator)
    elif status == "declined":
        story.decline(by=moderator, reason_code=reason, note=note)
    elif status == "changes_requested":
        story.request_changes(by=moderator, note=note)
