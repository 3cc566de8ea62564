"""French translations of the demo content (see campaigns/demo_translations)."""

TRANSLATIONS = {
    ("campaign", "together"): {
        "title": "ENSEMBLE\u00a0: respect, sécurité et dignité pour tous",
        "summary": """\
Une campagne des Nations Unies, accueillie favorablement par les 193 États Membres, pour changer \
les perceptions négatives à l'égard des réfugiés et des migrants et les rapprocher des \
communautés qui les accueillent.""",
        "body": """\
Le Secrétaire général a lancé ENSEMBLE au Sommet des Nations Unies pour les réfugiés et les \
migrants, le 19 septembre 2016\u00a0; les 193 États Membres l'y ont accueillie favorablement et \
se sont engagés à la mettre en œuvre.

La campagne se poursuit jusqu'au second semestre 2018, lorsque les États Membres doivent adopter \
les pactes mondiaux sur les réfugiés et sur les migrations. D'ici là, les organismes des Nations \
Unies, les gouvernements, les entreprises, la société civile et les citoyens agissent sous une \
même bannière contre la xénophobie.""",
        "objectives": """\
Bâtir une coalition d'organismes des Nations Unies, d'États Membres, du secteur privé et de la \
société civile face à la montée de la xénophobie.
Promouvoir une action mondiale en faveur de la non-discrimination et de l'acceptation des \
réfugiés et des migrants.
Porter un récit convaincant de solidarité, qui montre les bienfaits partagés des migrations et \
prend au sérieux les préoccupations des communautés d'accueil.
Susciter l'empathie par des récits de réfugiés, de migrants et de communautés d'accueil, et à \
leur sujet.""",
        "pledge_text": """\
Je m'engage ENSEMBLE avec les réfugiés et les migrants. Je traiterai chacun avec respect, je \
m'élèverai contre la discrimination et j'accueillerai mes nouveaux voisins.""",
    },
    ("partner", "iom"): {
        "description": """\
L'Agence des Nations Unies pour les migrations. Son bureau pour la Belgique et le Luxembourg a \
formé l'équipe ONU Migration qui a couru les 20 km de Bruxelles en 2017.""",
    },
    ("partner", "unric"): {
        "description": """\
Depuis Bruxelles, il fait connaître l'action des Nations Unies aux habitants de l'Europe \
occidentale. Il a soutenu l'équipe de l'ONU aux 20 km de Bruxelles.""",
    },
    ("partner", "play-4-peace"): {
        "description": """\
Une association dont les membres ont couru et marché avec l'équipe ONU Migration aux 20 km de \
Bruxelles.""",
    },
    ("partner", "harbour-lights"): {
        "description": """\
Des bénévoles qui font se rencontrer nouveaux arrivants et voisins pour pratiquer la langue et \
partager des repas.""",
    },
    ("partner", "meridian-freight"): {
        "description": """\
Une entreprise de transport qui propose des stages rémunérés à des réfugiés qui débutent une \
carrière dans la logistique.""",
    },
    ("partner", "northbridge-centre"): {
        "description": """\
Des chercheurs universitaires qui partagent avec les écoles et les médias locaux ce que les \
études montrent sur les migrations.""",
    },
    ("pressrelease", "un-migration-team-runs-the-20-km-of-brussels"): {
        "title": """\
Une équipe de l'ONU court les 20 km de Bruxelles pour les réfugiés et les migrants""",
        "summary": """\
Une cinquantaine de personnes issues d'organisations des Nations Unies, de l'association Play 4 \
Peace et du grand public courront les 20 km de Bruxelles le dimanche 28 mai en une seule équipe, \
en soutien à ENSEMBLE.""",
        "body": """\
L'OIM, l'Agence des Nations Unies pour les migrations, a formé une équipe baptisée «\u00a0ONU \
Migration\u00a0» pour la 38e édition des 20 km de Bruxelles, le dimanche 28 mai. En courant et \
en marchant côte à côte, ses membres veulent montrer que la diversité rend nos sociétés plus \
fortes, et aider chacun à porter un regard plus juste sur les migrations, les migrants et les \
réfugiés.

L'équipe participe en soutien à ENSEMBLE, l'initiative mondiale menée par les Nations Unies \
contre le racisme et la xénophobie, qui vise à changer la façon dont les réfugiés et les \
migrants sont perçus et traités.

ENSEMBLE a été lancée le 19 septembre 2016, lors du sommet des Nations Unies consacré aux \
réfugiés et aux migrants. Elle réunit les 193 États Membres de l'Organisation, des entreprises, \
la société civile, des universités et des citoyens dans un partenariat mondial en faveur de la \
diversité, de la non-discrimination et de l'acceptation des réfugiés et des migrants.

Avec le soutien du Centre régional d'information des Nations Unies pour l'Europe occidentale \
(UNRIC), l'équipe rassemble une cinquantaine de personnes\u00a0: des membres du personnel de \
plusieurs organisations des Nations Unies, des membres de l'association Play 4 Peace et des \
particuliers.

Pour Caroline Petit, directrice adjointe de l'UNRIC, peu de choses rapprochent autant les gens \
que le sport, avec le courage, l'effort, la compétition et la participation qu'il demande à \
chacun. D'où que nous venions, dit-elle, nous partageons les mêmes espoirs et les mêmes peurs, \
et ceux qui craignent les migrants et les réfugiés ont besoin de voir à quel point nous nous \
ressemblons\u00a0; à ses yeux, ENSEMBLE contribue beaucoup à construire ce regard commun. Elle \
se réjouit de marcher dimanche avec une cinquantaine de collègues des Nations Unies de 15 \
nationalités, dont beaucoup ont eux-mêmes une histoire de migration.

Pour la première fois, l'équipe tiendra aussi un stand d'information, au pied des arcades du \
Cinquantenaire. Les visiteurs pourront y échanger avec l'équipe et découvrir la campagne ainsi \
que l'action des Nations Unies en Belgique, en Europe et dans le monde. L'équipe distribuera des \
ballons, des bracelets et des sacs.

Parmi les plus grands événements de Belgique, les 20 km de Bruxelles accueillent quelque \
40\u00a0000 coureurs et marcheurs de 131 nationalités. Ils sont placés sous le haut patronage \
des trois grandes institutions de l'Union européenne\u00a0: la Commission, le Parlement et le \
Conseil.""",
    },
    ("event", "un-migration-team-20-km-brussels-2017"): {
        "title": "L'équipe ONU Migration aux 38es 20 km de Bruxelles",
        "summary": """\
Cinquante coureurs et marcheurs de quinze nationalités ont traversé Bruxelles en une seule \
équipe, pour les réfugiés, les migrants et la ville qui les accueille.""",
        "description": """\
Le dimanche 28 mai 2017, l'équipe ONU Migration a couru et marché ensemble les 38es 20 km de \
Bruxelles. Des collègues d'organisations des Nations Unies, des membres de l'association Play 4 \
Peace et des personnes qui voulaient simplement se joindre à eux portaient le même t-shirt \
ENSEMBLE\u00a0: cinquante personnes de quinze nationalités, dont certaines n'étaient arrivées en \
Belgique que récemment.

L'équipe a participé sous le haut patronage de la Commission européenne, du Parlement européen \
et du Conseil de l'UE. Chaque kilomètre était une petite déclaration\u00a0: celles et ceux qui \
quittent leur pays et celles et ceux qui les accueillent sont voisins, collègues et coéquipiers.""",
        "venue_name": "Parc du Cinquantenaire",
    },
    ("event", "un-information-stand-20-km-brussels-2017"): {
        "title": "Stand d'information de l'ONU aux arcades du Cinquantenaire",
        "summary": """\
Venez discuter avec nous devant les arcades du Cinquantenaire, au départ et à l'arrivée des 20 \
km de Bruxelles.""",
        "description": """\
Pendant que les coureurs étaient sur le parcours, le stand d'information de l'ONU, devant les \
arcades du Cinquantenaire, était ouvert à tous. Des bénévoles ont parlé avec les passants de la \
campagne ENSEMBLE et de l'action des Nations Unies en Belgique, en Europe et dans le monde, et \
ont répondu aux questions sur les réfugiés et les migrants.

Petits et grands sont repartis avec des ballons, des bracelets et des sacs ENSEMBLE.""",
        "venue_name": "Devant les arcades du Cinquantenaire",
    },
    ("event", "un-team-20-km-brussels-{year}"): {
        "title": "Courez avec l'équipe de l'ONU aux 20 km de Bruxelles {year}",
        "summary": """\
Courez ou marchez les 20 km de Bruxelles dans l'équipe ENSEMBLE\u00a0: tout le monde est \
bienvenu.""",
        "description": """\
L'équipe de l'ONU prend à nouveau le départ des 20 km de Bruxelles. Que vous couriez, marchiez \
ou veniez encourager, rejoignez une équipe où réfugiés, migrants et Bruxellois s'élancent \
ensemble.

Les places dans l'équipe sont limitées. Lorsqu'elles sont toutes prises, vous pouvez encore vous \
inscrire sur la liste d'attente\u00a0: si quelqu'un se désiste, la première personne en attente \
obtient sa place et en est informée par e-mail.""",
        "venue_name": "Parc du Cinquantenaire",
    },
}

# The press room (campaigns/demo.py: load_partners_and_press, load_media_kit).
TRANSLATIONS |= {
    ("presscontact", "gdhoop@iom.int"): {
        "role": (
            "Cheffe de l'unité Information et communication, Bureau de l'OIM pour la Belgique"
            " et le Luxembourg"
        ),
    },
    ("mediakititem", "together-logo"): {
        "caption": "Le logo d'ENSEMBLE (un substitut pour la démonstration)",
        "alt_text": "Les lettres TG, en blanc sur fond bleu",
    },
}
