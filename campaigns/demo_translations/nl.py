"""Dutch translations of the demo content (see campaigns/demo_translations)."""

TRANSLATIONS = {
    ("campaign", "together"): {
        "title": "TOGETHER: respect, veiligheid en waardigheid voor iedereen",
        "summary": """\
Een campagne van de Verenigde Naties, verwelkomd door alle 193 lidstaten, om de negatieve \
beeldvorming over vluchtelingen en migranten te veranderen en hen dichter bij de gemeenschappen \
te brengen die hen opvangen.""",
        "body": """\
De secretaris-generaal lanceerde TOGETHER op 19 september 2016 op de VN-top over vluchtelingen \
en migranten, waar alle 193 lidstaten de campagne verwelkomden en zich ertoe verbonden haar uit \
te voeren.

De campagne loopt tot de tweede helft van 2018, wanneer de lidstaten de mondiale pacten over \
vluchtelingen en over migratie moeten aannemen. Tot dan treden VN-organisaties, regeringen, \
bedrijven, het maatschappelijk middenveld en burgers onder één vlag op tegen vreemdelingenhaat.""",
        "objectives": """\
Een coalitie bouwen van VN-organisaties, lidstaten, de privésector en het maatschappelijk \
middenveld tegen de groeiende vreemdelingenhaat.
Wereldwijde actie bevorderen voor non-discriminatie en de aanvaarding van vluchtelingen en \
migranten.
Een overtuigend verhaal van solidariteit vertellen dat de gedeelde voordelen van migratie laat \
zien en de zorgen van gastgemeenschappen ernstig neemt.
Empathie wekken met verhalen door en over vluchtelingen, migranten en gastgemeenschappen.""",
        "pledge_text": """\
Ik sta TOGETHER met vluchtelingen en migranten. Ik behandel iedereen met respect, ik kom op \
tegen discriminatie en ik heet mijn nieuwe buren welkom.""",
    },
    ("partner", "iom"): {
        "description": """\
Het VN-migratieagentschap. Het kantoor voor België en Luxemburg vormde het team UN Migration dat \
in 2017 de 20 km door Brussel liep.""",
    },
    ("partner", "unric"): {
        "description": """\
Vanuit Brussel informeert het de mensen in West-Europa over het werk van de Verenigde Naties. \
Het steunde het VN-team op de 20 km door Brussel.""",
    },
    ("partner", "play-4-peace"): {
        "description": """\
Een vereniging waarvan de leden met het team UN Migration de 20 km door Brussel liepen en \
wandelden.""",
    },
    ("partner", "harbour-lights"): {
        "description": """\
Vrijwilligers die nieuwkomers en buren met elkaar in contact brengen om samen de taal te oefenen \
en te eten.""",
    },
    ("partner", "meridian-freight"): {
        "description": """\
Een transportbedrijf dat betaalde stages aanbiedt aan vluchtelingen die een loopbaan in de \
logistiek beginnen.""",
    },
    ("partner", "northbridge-centre"): {
        "description": """\
Universitaire onderzoekers die met scholen en lokale media delen wat studies over migratie \
aantonen.""",
    },
    ("pressrelease", "un-migration-team-runs-the-20-km-of-brussels"): {
        "title": """\
Een VN-team loopt de 20 km door Brussel voor vluchtelingen en migranten""",
        "summary": """\
Zo'n 50 mensen van VN-organisaties, de vereniging Play 4 Peace en het publiek lopen op zondag 28 \
mei als één team de 20 km door Brussel, ter ondersteuning van TOGETHER.""",
        "body": """\
IOM, het VN-migratieagentschap, heeft voor de 38e editie van de 20 km door Brussel, op zondag 28 \
mei, een team gevormd met de naam 'UN Migration'. Door zij aan zij te lopen en te wandelen \
willen de leden laten zien dat diversiteit onze samenlevingen sterker maakt, en mensen helpen \
migratie, migranten en vluchtelingen in een eerlijker daglicht te zien.

Het team neemt deel ter ondersteuning van TOGETHER, het wereldwijde initiatief van de Verenigde \
Naties tegen racisme en vreemdelingenhaat, dat wil veranderen hoe vluchtelingen en migranten \
worden gezien en behandeld.

TOGETHER begon op 19 september 2016, op de top die de Verenigde Naties over vluchtelingen en \
migranten hielden. Het brengt de 193 lidstaten van de Verenigde Naties, bedrijven, het \
maatschappelijk middenveld, universiteiten en individuele burgers samen in een wereldwijd \
partnerschap voor diversiteit, non-discriminatie en de aanvaarding van vluchtelingen en \
migranten.

Met de steun van het Regionaal Informatiecentrum van de Verenigde Naties voor West-Europa \
(UNRIC) brengt het team zo'n 50 mensen samen: medewerkers van verschillende VN-organisaties, \
leden van de vereniging Play 4 Peace en mensen uit het publiek.

Volgens Caroline Petit, adjunct-directeur van UNRIC, brengt weinig mensen zo goed samen als \
sport, met de moed, de inspanning, de competitie en de deelname die ze van iedereen vraagt. Waar \
we ook vandaan komen, zegt ze, we delen dezelfde hoop en dezelfde angsten, en wie bang is voor \
migranten en vluchtelingen, moet zien hoezeer we op elkaar lijken; volgens haar draagt TOGETHER \
veel bij aan die gedeelde blik. Ze kijkt ernaar uit om zondag te wandelen met zo'n 50 \
VN-collega's van 15 nationaliteiten, van wie velen zelf een migratieverhaal hebben.

Voor het eerst bemant het team ook een informatiestand, aan de voet van de triomfboog in het \
Jubelpark. Bezoekers kunnen er met het team praten en meer te weten komen over de campagne en \
over wat de Verenigde Naties doen in België, in Europa en in de rest van de wereld. Het team \
deelt ballonnen, armbandjes en tassen uit.

De 20 km door Brussel, een van de grootste evenementen van België, verwelkomt zo'n 40.000 lopers \
en wandelaars van 131 nationaliteiten. Het evenement staat onder de bescherming van de drie \
belangrijkste instellingen van de Europese Unie: de Commissie, het Parlement en de Raad.""",
    },
    ("event", "un-migration-team-20-km-brussels-2017"): {
        "title": "Team UN Migration op de 38e 20 km door Brussel",
        "summary": """\
Vijftig lopers en wandelaars van vijftien nationaliteiten trokken als één team door Brussel, \
voor vluchtelingen, migranten en de stad die hen verwelkomt.""",
        "description": """\
Op zondag 28 mei 2017 liep en wandelde het team UN Migration samen de 38e 20 km door Brussel. \
Collega's van VN-organisaties, leden van de vereniging Play 4 Peace en mensen die gewoon wilden \
meedoen, droegen hetzelfde TOGETHER-shirt: vijftig mensen van vijftien nationaliteiten, van wie \
sommigen nog maar pas in België waren aangekomen.

Het team nam deel onder de bescherming van de Europese Commissie, het Europees Parlement en de \
Raad van de EU. Elke kilometer was een kleine verklaring: wie zijn land verlaat en wie hem \
verwelkomt, zijn buren, collega's en teamgenoten.""",
        "venue_name": "Jubelpark",
    },
    ("event", "un-information-stand-20-km-brussels-2017"): {
        "title": "VN-informatiestand aan de triomfboog in het Jubelpark",
        "summary": """\
Kom met ons praten voor de triomfboog in het Jubelpark, aan de start en de finish van de 20 km \
door Brussel.""",
        "description": """\
Terwijl de lopers onderweg waren, stond de VN-informatiestand voor de triomfboog in het \
Jubelpark open voor iedereen. Vrijwilligers praatten met voorbijgangers over de campagne \
TOGETHER en over het werk van de Verenigde Naties in België, in Europa en in de rest van de \
wereld, en beantwoordden vragen over vluchtelingen en migranten.

Kinderen en volwassenen gingen naar huis met TOGETHER-ballonnen, -armbandjes en -tassen.""",
        "venue_name": "Voor de triomfboog in het Jubelpark",
    },
    ("event", "un-team-20-km-brussels-{year}"): {
        "title": "Loop mee met het VN-team op de 20 km door Brussel {year}",
        "summary": """\
Loop of wandel de 20 km door Brussel in het TOGETHER-team: iedereen is welkom.""",
        "description": """\
Het VN-team staat opnieuw aan de start van de 20 km door Brussel. Of je nu loopt, wandelt of \
komt aanmoedigen: sluit je aan bij een team waarin vluchtelingen, migranten en Brusselaars samen \
vertrekken.

Het aantal plaatsen in het team is beperkt. Zijn ze allemaal ingenomen, dan kun je je nog op de \
wachtlijst zetten: als iemand annuleert, krijgt de eerste persoon op de wachtlijst die plaats en \
een e-mail.""",
        "venue_name": "Jubelpark",
    },
}

# The press room (campaigns/demo.py: load_partners_and_press, load_media_kit).
TRANSLATIONS |= {
    ("presscontact", "gdhoop@iom.int"): {
        "role": ("Hoofd van de eenheid Informatie en Communicatie, IOM-kantoor voor België en Luxemburg"),
    },
    ("mediakititem", "together-logo"): {
        "caption": "Het logo van SAMEN (een vervanger voor de demonstratie)",
        "alt_text": "De letters TG, wit op blauw",
    },
}
