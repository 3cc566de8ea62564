"""Spanish translations of the demo content (see campaigns/demo_translations)."""

TRANSLATIONS = {
    ("campaign", "together"): {
        "title": "JUNTOS: respeto, seguridad y dignidad para todos",
        "summary": """\
Una campaña de las Naciones Unidas, acogida con beneplácito por los 193 Estados Miembros, para \
cambiar las percepciones negativas sobre los refugiados y los migrantes y acercarlos a las \
comunidades que los acogen.""",
        "body": """\
El Secretario General puso en marcha JUNTOS en la Cumbre de las Naciones Unidas sobre los \
Refugiados y los Migrantes, el 19 de septiembre de 2016, donde los 193 Estados Miembros la \
acogieron con beneplácito y se comprometieron a llevarla a cabo.

La campaña se prolonga hasta el segundo semestre de 2018, cuando los Estados Miembros deben \
aprobar los pactos mundiales sobre los refugiados y sobre la migración. Hasta entonces, los \
organismos de las Naciones Unidas, los gobiernos, las empresas, la sociedad civil y la \
ciudadanía actúan bajo una misma bandera contra la xenofobia.""",
        "objectives": """\
Formar una coalición de organismos de las Naciones Unidas, Estados Miembros, el sector privado y \
la sociedad civil frente al aumento de la xenofobia.
Promover una acción mundial en favor de la no discriminación y la aceptación de los refugiados y \
los migrantes.
Contar un relato convincente de solidaridad que muestre los beneficios compartidos de la \
migración y tome en serio las preocupaciones de las comunidades de acogida.
Fomentar la empatía mediante historias contadas por refugiados, migrantes y comunidades de \
acogida, y sobre ellos.""",
        "pledge_text": """\
Me comprometo a estar JUNTOS con los refugiados y los migrantes. Trataré a todas las personas \
con respeto, alzaré la voz contra la discriminación y daré la bienvenida a mis nuevos vecinos.""",
    },
    ("partner", "iom"): {
        "description": """\
El Organismo de las Naciones Unidas para la Migración. Su oficina para Bélgica y Luxemburgo \
formó el equipo ONU Migración que corrió los 20 km de Bruselas en 2017.""",
    },
    ("partner", "unric"): {
        "description": """\
Desde Bruselas, da a conocer la labor de las Naciones Unidas a los habitantes de Europa \
Occidental. Apoyó al equipo de la ONU en los 20 km de Bruselas.""",
    },
    ("partner", "play-4-peace"): {
        "description": """\
Una asociación cuyos miembros corrieron y caminaron con el equipo ONU Migración en los 20 km de \
Bruselas.""",
    },
    ("partner", "harbour-lights"): {
        "description": """\
Voluntarios que ponen en contacto a recién llegados con vecinos para practicar el idioma y \
compartir comidas.""",
    },
    ("partner", "meridian-freight"): {
        "description": """\
Una empresa de transporte que ofrece prácticas remuneradas a refugiados que empiezan una carrera \
en la logística.""",
    },
    ("partner", "northbridge-centre"): {
        "description": """\
Investigadores universitarios que comparten con escuelas y medios locales lo que muestran los \
estudios sobre la migración.""",
    },
    ("pressrelease", "un-migration-team-runs-the-20-km-of-brussels"): {
        "title": """\
Un equipo de la ONU corre los 20 km de Bruselas por los refugiados y los migrantes""",
        "summary": """\
Unas 50 personas de organizaciones de las Naciones Unidas, de la asociación Play 4 Peace y del \
público correrán los 20 km de Bruselas el domingo 28 de mayo como un solo equipo, en apoyo de \
JUNTOS.""",
        "body": """\
La OIM, el Organismo de las Naciones Unidas para la Migración, ha formado un equipo llamado «ONU \
Migración» para la 38.ª edición de los 20 km de Bruselas, el domingo 28 de mayo. Corriendo y \
caminando codo con codo, sus integrantes quieren mostrar que la diversidad fortalece nuestras \
sociedades y ayudar a que la migración, los migrantes y los refugiados se vean con una mirada \
más justa.

El equipo participa en apoyo de JUNTOS, la iniciativa mundial dirigida por las Naciones Unidas \
contra el racismo y la xenofobia, que se propone cambiar la manera en que se percibe y se trata \
a los refugiados y los migrantes.

JUNTOS comenzó el 19 de septiembre de 2016, en la cumbre que las Naciones Unidas celebraron \
sobre los refugiados y los migrantes. Une a los 193 Estados Miembros de las Naciones Unidas, a \
empresas, a la sociedad civil, a universidades y a ciudadanos en una alianza mundial por la \
diversidad, la no discriminación y la aceptación de los refugiados y los migrantes.

Con el respaldo del Centro Regional de Información de las Naciones Unidas para Europa Occidental \
(UNRIC), el equipo reúne a unas 50 personas: personal de varias organizaciones de las Naciones \
Unidas, miembros de la asociación Play 4 Peace y personas del público.

Para Caroline Petit, Directora Adjunta del UNRIC, pocas cosas unen tanto a las personas como el \
deporte, con el valor, el esfuerzo, la competición y la participación que exige a cada uno. \
Vengamos de donde vengamos, afirma, compartimos las mismas esperanzas y los mismos miedos, y \
quienes temen a los migrantes y los refugiados necesitan ver cuánto nos parecemos; a su juicio, \
JUNTOS contribuye mucho a construir esa mirada común. Espera con ilusión caminar el domingo \
junto a unos 50 colegas de las Naciones Unidas de 15 nacionalidades, muchos de los cuales tienen \
su propia historia de migración.

Por primera vez, el equipo también atenderá un puesto de información, al pie del Arco del \
Cincuentenario. Allí, los visitantes podrán conversar con el equipo y conocer la campaña y la \
labor de las Naciones Unidas en Bélgica, en Europa y en todo el mundo. El equipo repartirá \
globos, pulseras y bolsas.

Los 20 km de Bruselas, uno de los mayores acontecimientos de Bélgica, reúnen a unos 40\u00a0000 \
corredores y caminantes de 131 nacionalidades. Cuentan con el patrocinio de las tres principales \
instituciones de la Unión Europea: la Comisión, el Parlamento y el Consejo.""",
    },
    ("event", "un-migration-team-20-km-brussels-2017"): {
        "title": """\
El equipo ONU Migración en la 38.ª edición de los 20 km de Bruselas""",
        "summary": """\
Cincuenta corredores y caminantes de quince nacionalidades recorrieron Bruselas como un solo \
equipo, por los refugiados, los migrantes y la ciudad que los acoge.""",
        "description": """\
El domingo 28 de mayo de 2017, el equipo ONU Migración corrió y caminó unido la 38.ª edición de \
los 20 km de Bruselas. Colegas de organizaciones de las Naciones Unidas, miembros de la \
asociación Play 4 Peace y personas que simplemente quisieron sumarse llevaban la misma camiseta \
de JUNTOS: cincuenta personas de quince nacionalidades, algunas de las cuales habían llegado a \
Bélgica hacía poco.

El equipo participó bajo el patrocinio de la Comisión Europea, el Parlamento Europeo y el \
Consejo de la UE. Cada kilómetro fue una pequeña declaración: quienes dejan su país y quienes \
los acogen son vecinos, colegas y compañeros de equipo.""",
        "venue_name": "Parque del Cincuentenario",
    },
    ("event", "un-information-stand-20-km-brussels-2017"): {
        "title": "Puesto de información de la ONU en el Arco del Cincuentenario",
        "summary": """\
Ven a hablar con nosotros frente al Arco del Cincuentenario, en la salida y la llegada de los 20 \
km de Bruselas.""",
        "description": """\
Mientras los corredores estaban en el recorrido, el puesto de información de la ONU frente al \
Arco del Cincuentenario estuvo abierto a todo el mundo. Los voluntarios hablaron con los \
transeúntes sobre la campaña JUNTOS y sobre la labor de las Naciones Unidas en Bélgica, en \
Europa y en todo el mundo, y respondieron preguntas sobre los refugiados y los migrantes.

Niños y adultos se llevaron a casa globos, pulseras y bolsas de JUNTOS.""",
        "venue_name": "Frente al Arco del Cincuentenario",
    },
    ("event", "un-team-20-km-brussels-{year}"): {
        "title": "Corre con el equipo de la ONU en los 20 km de Bruselas {year}",
        "summary": """\
Corre o camina los 20 km de Bruselas con el equipo JUNTOS: todo el mundo es bienvenido.""",
        "description": """\
El equipo de la ONU vuelve a la línea de salida de los 20 km de Bruselas. Tanto si corres como \
si caminas o vienes a animar, únete a un equipo en el que refugiados, migrantes y vecinos de \
Bruselas salen juntos.

Las plazas del equipo son limitadas. Cuando se agoten, todavía puedes apuntarte a la lista de \
espera: si alguien cancela, la primera persona en espera obtiene su plaza y recibe un correo \
electrónico.""",
        "venue_name": "Parque del Cincuentenario",
    },
}

# The press room (campaigns/demo.py: load_partners_and_press, load_media_kit).
TRANSLATIONS |= {
    ("presscontact", "gdhoop@iom.int"): {
        "role": (
            "Jefa de la Unidad de Información y Comunicación, Oficina de la OIM para Bélgica y Luxemburgo"
        ),
    },
    ("mediakititem", "together-logo"): {
        "caption": "El logotipo de JUNTOS (un sustituto para la demostración)",
        "alt_text": "Las letras TG, en blanco sobre azul",
    },
}
