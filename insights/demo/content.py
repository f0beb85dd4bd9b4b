"""Hand-written content of the demo dataset: cohorts, speakers with their career paths, and talks.

Everything here is fictional (people, most organisations, products); `insights.demo` turns it into tables.
"""

from __future__ import annotations

from typing import NamedTuple

TESTIMONY = "témoignage de CM"
TOOL = "présentation d'outil"
WORKSHOP = "atelier"

COHORTS: tuple[tuple[str, int, float], ...] = (
    # (cohort, enrolled students, usual share of students who answer the survey)
    ("2011-2012", 29, 0.78),
    ("2012-2013", 32, 0.88),
    ("2013-2014", 27, 0.68),
    ("2014-2015", 35, 0.91),
    ("2015-2016", 32, 0.87),
)

SPEAKERS: tuple[dict, ...] = (
    # `career`: (year_from, year_to, role, organisation), the last step being the current job (year_to None).
    # `quality`: the speaker's latent quality as seen by students (about 1–5), used to simulate answers.
    {
        "speaker_id": "sp01",
        "name": "Claire Le Goff",
        "title": "Community manager",
        "organisation": "Université Nantes Atlantique",
        "org_type": "université / établissement public",
        "sector": "Enseignement supérieur et recherche",
        "networks": ("Facebook", "X/Twitter", "Instagram", "YouTube", "LinkedIn"),
        "years_experience": 8,
        "education": "Master d'histoire contemporaine",
        "bio": (
            "Historienne de formation, Claire Le Goff est arrivée au web par la médiation culturelle. "
            "Depuis 2010, elle anime les comptes de l'Université Nantes Atlantique, l'une des universités "
            "les plus suivies sur les réseaux sociaux. Elle défend une communication qui montre la vie réelle "
            "des laboratoires et des étudiants, y compris quand tout ne va pas bien."
        ),
        "career": (
            (2006, 2008, "Médiatrice culturelle", "Musée de l'Estuaire"),
            (2008, 2010, "Chargée de communication web", "Office de tourisme Loire-Estuaire"),
            (2010, None, "Community manager", "Université Nantes Atlantique"),
        ),
        "quality": 4.5,
    },
    {
        "speaker_id": "sp02",
        "name": "Julien Marchand",
        "title": "Responsable des réseaux sociaux",
        "organisation": "Groupe Postal Hexagone",
        "org_type": "grand groupe",
        "sector": "Services postaux, colis et bancassurance",
        "networks": ("Facebook", "X/Twitter", "LinkedIn", "YouTube", "Instagram"),
        "years_experience": 10,
        "education": "BTS Négociation et relation client",
        "bio": (
            "Passé par la vente et le service client, Julien Marchand a rejoint le Groupe Postal Hexagone au "
            "moment où les premières réclamations arrivaient sur Twitter. Il a monté la cellule de réponse "
            "sociale du groupe avant d'en prendre la responsabilité en 2013. Sa conviction : on ne communique "
            "bien que sur une structure qu'on connaît de l'intérieur."
        ),
        "career": (
            (2003, 2006, "Conseiller clientèle", "Banque Régionale de l'Ouest"),
            (2006, 2010, "Chargé de relation client en ligne", "Groupe Postal Hexagone"),
            (2010, 2013, "Community manager service client", "Groupe Postal Hexagone"),
            (2013, None, "Responsable des réseaux sociaux", "Groupe Postal Hexagone"),
        ),
        "quality": 4.4,
    },
    {
        "speaker_id": "sp03",
        "name": "Sophie Garnier",
        "title": "Cheffe de projet social media",
        "organisation": "Agence Houle",
        "org_type": "agence",
        "sector": "Conseil en communication",
        "networks": ("Facebook", "Instagram", "Pinterest", "X/Twitter"),
        "years_experience": 8,
        "education": "DUT Information-Communication, licence professionnelle communication numérique",
        "bio": (
            "Sophie Garnier a fait toute sa carrière de community manager en agence, pour des marques locales, "
            "des associations et des collectivités. Elle pilote aujourd'hui une équipe de trois CM et forme "
            "ses clients à prendre le relais."
        ),
        "career": (
            (2008, 2009, "Assistante chargée de communication", "Chambre de commerce Loire-Estuaire"),
            (2009, 2012, "Community manager", "Agence Houle"),
            (2012, None, "Cheffe de projet social media", "Agence Houle"),
        ),
        "quality": 4.0,
    },
    {
        "speaker_id": "sp04",
        "name": "Thomas Nguyen",
        "title": "Consultant et formateur en médias sociaux",
        "organisation": "Thomas Nguyen Conseil",
        "org_type": "indépendant",
        "sector": "Conseil et formation",
        "networks": ("LinkedIn", "X/Twitter", "YouTube", "Facebook"),
        "years_experience": 12,
        "education": "Autodidacte (deux années de droit, non terminées)",
        "bio": (
            "Thomas Nguyen a appris le métier en modérant des forums de passionnés, bien avant que le mot "
            "« community manager » n'existe. Après trois ans en agence, il s'est installé à son compte comme "
            "consultant et formateur. Ses ateliers de simulation de bad buzz sont devenus un classique de la licence."
        ),
        "career": (
            (2004, 2007, "Webmaster et modérateur de forums", "Portail Motorama"),
            (2007, 2010, "Community manager", "Agence Pixel & Plume"),
            (2010, None, "Consultant et formateur indépendant", "Thomas Nguyen Conseil"),
        ),
        "quality": 4.3,
    },
    {
        "speaker_id": "sp05",
        "name": "Nadia Benali",
        "title": "Chargée de communication numérique",
        "organisation": "Métropole Loire Océane",
        "org_type": "collectivité",
        "sector": "Administration territoriale",
        "networks": ("Facebook", "X/Twitter", "Instagram", "YouTube"),
        "years_experience": 9,
        "education": "Diplôme d'IEP, master affaires publiques",
        "bio": (
            "Nadia Benali a découvert la communication publique au cabinet d'un député avant de rejoindre une "
            "mairie puis la Métropole Loire Océane. Elle y anime les comptes de la métropole et coordonne les "
            "concertations citoyennes en ligne."
        ),
        "career": (
            (2005, 2007, "Attachée parlementaire", "Cabinet d'un député"),
            (2007, 2010, "Chargée de communication", "Ville de Saint-Aubin-sur-Loire"),
            (2010, None, "Chargée de communication numérique", "Métropole Loire Océane"),
        ),
        "quality": 3.9,
    },
    {
        "speaker_id": "sp06",
        "name": "Marc Delaunay",
        "title": "Rédacteur en chef adjoint, numérique et réseaux sociaux",
        "organisation": "Groupe Ouest Médias",
        "org_type": "grand groupe",
        "sector": "Presse et médias",
        "networks": ("Facebook", "X/Twitter", "YouTube"),
        "years_experience": 18,
        "education": "Diplôme d'école de journalisme",
        "bio": (
            "Journaliste depuis la fin des années 1990, Marc Delaunay a couvert l'actualité locale avant de "
            "prendre en charge le site et les réseaux sociaux de son quotidien. Il gère aujourd'hui la "
            "modération de centaines de milliers de commentaires par an."
        ),
        "career": (
            (1998, 2006, "Journaliste localier", "L'Écho de l'Ouest"),
            (2006, 2010, "Journaliste web", "L'Écho de l'Ouest"),
            (2010, None, "Rédacteur en chef adjoint, numérique et réseaux sociaux", "Groupe Ouest Médias"),
        ),
        "quality": 3.8,
    },
    {
        "speaker_id": "sp07",
        "name": "Émilie Rousseau",
        "title": "Responsable communication et communauté",
        "organisation": "Toits Solidaires",
        "org_type": "association",
        "sector": "Solidarité et logement",
        "networks": ("Facebook", "Instagram", "X/Twitter", "LinkedIn"),
        "years_experience": 6,
        "education": "Master de sociologie",
        "bio": (
            "Sociologue de formation, Émilie Rousseau est entrée à Toits Solidaires en service civique. "
            "Elle y a construit une communauté de bénévoles et de donateurs avec un budget quasi nul. "
            "Elle parle volontiers des limites à se fixer quand on travaille pour une cause."
        ),
        "career": (
            (2008, 2010, "Chargée d'études", "Observatoire régional de l'habitat"),
            (2010, 2012, "Chargée de communication (service civique puis CDD)", "Toits Solidaires"),
            (2012, None, "Responsable communication et communauté", "Toits Solidaires"),
        ),
        "quality": 4.3,
    },
    {
        "speaker_id": "sp08",
        "name": "Karim Haddad",
        "title": "Cofondateur, responsable communauté",
        "organisation": "Roulons Ensemble",
        "org_type": "start-up",
        "sector": "Mobilité et covoiturage",
        "networks": ("Facebook", "X/Twitter", "Instagram", "Snapchat"),
        "years_experience": 8,
        "education": "École de commerce (programme grande école)",
        "bio": (
            "Karim Haddad a quitté la grande distribution pour cofonder Roulons Ensemble, une application de "
            "covoiturage domicile-travail. Il y a tout fait : le support, les réseaux sociaux, les soirées "
            "utilisateurs. Il raconte comment une communauté change quand une start-up grandit."
        ),
        "career": (
            (2008, 2011, "Chef de produit junior", "Distrimarché"),
            (2011, 2012, "Responsable marketing digital", "Agence Contre-Courant"),
            (2012, None, "Cofondateur, responsable communauté", "Roulons Ensemble"),
        ),
        "quality": 3.8,
    },
    {
        "speaker_id": "sp09",
        "name": "Aurélie Fontaine",
        "title": "Responsable formation et relation clients",
        "organisation": "Calendo",
        "org_type": "éditeur d'outil",
        "sector": "Logiciel de planification de publications",
        "networks": ("LinkedIn", "X/Twitter", "Facebook"),
        "years_experience": 8,
        "education": "Master marketing digital",
        "bio": (
            "Ancienne community manager en agence, Aurélie Fontaine a rejoint Calendo, un outil de "
            "planification de publications, pour former ses utilisateurs. Elle présente l'outil mais surtout "
            "les organisations d'équipe qui vont avec."
        ),
        "career": (
            (2008, 2010, "Community manager", "Agence Pixel & Plume"),
            (2010, 2012, "Chargée de clientèle", "Calendo"),
            (2012, None, "Responsable formation et relation clients", "Calendo"),
        ),
        "quality": 3.8,
    },
    {
        "speaker_id": "sp10",
        "name": "Vincent Morel",
        "title": "Consultant avant-vente",
        "organisation": "Veillio",
        "org_type": "éditeur d'outil",
        "sector": "Logiciel de veille et d'écoute sociale",
        "networks": ("X/Twitter", "LinkedIn"),
        "years_experience": 8,
        "education": "DUT informatique, licence professionnelle veille et intelligence économique",
        "bio": (
            "Informaticien de départ, Vincent Morel s'est passionné pour la veille en chambre d'agriculture. "
            "Chez Veillio, un outil d'écoute des réseaux sociaux, il aide les marques et les institutions à "
            "repérer les sujets qui montent avant qu'ils ne deviennent des crises."
        ),
        "career": (
            (2005, 2008, "Technicien support", "Infoquest"),
            (2008, 2010, "Chargé de veille", "Chambre d'agriculture de Loire-Littoral"),
            (2010, None, "Consultant avant-vente", "Veillio"),
        ),
        "quality": 4.0,
    },
    {
        "speaker_id": "sp11",
        "name": "Léa Chevalier",
        "title": "Data analyst social media",
        "organisation": "Kpilot",
        "org_type": "éditeur d'outil",
        "sector": "Logiciel d'analyse d'audience",
        "networks": ("LinkedIn", "X/Twitter", "Instagram"),
        "years_experience": 5,
        "education": "Master de statistiques appliquées",
        "bio": (
            "Statisticienne passée par un institut de sondage, Léa Chevalier travaille chez Kpilot, un outil "
            "d'analyse des performances sur les réseaux sociaux. Elle aide les équipes à choisir les "
            "indicateurs qui servent vraiment une décision."
        ),
        "career": (
            (2011, 2013, "Chargée d'études statistiques", "Institut de sondage Opinéo"),
            (2013, None, "Data analyst social media", "Kpilot"),
        ),
        "quality": 3.4,
    },
    {
        "speaker_id": "sp12",
        "name": "Hélène Bertin",
        "title": "Responsable communication digitale",
        "organisation": "Centre hospitalier universitaire de l'Estuaire",
        "org_type": "université / établissement public",
        "sector": "Santé",
        "networks": ("Facebook", "X/Twitter", "LinkedIn", "YouTube"),
        "years_experience": 13,
        "education": "Master communication des organisations",
        "bio": (
            "Hélène Bertin a passé toute sa carrière dans la santé, d'abord en communication interne puis "
            "externe. Elle a ouvert les comptes du CHU de l'Estuaire en 2011 et y a géré plusieurs crises "
            "sanitaires. Elle insiste sur la rigueur : à l'hôpital, une erreur de publication a des conséquences réelles."
        ),
        "career": (
            (2003, 2007, "Chargée de communication interne", "Groupe de cliniques Santéa"),
            (
                2007,
                2011,
                "Chargée de communication externe",
                "Centre hospitalier universitaire de l'Estuaire",
            ),
            (
                2011,
                None,
                "Responsable communication digitale",
                "Centre hospitalier universitaire de l'Estuaire",
            ),
        ),
        "quality": 4.4,
    },
    {
        "speaker_id": "sp13",
        "name": "Antoine Lefèvre",
        "title": "Community manager",
        "organisation": "Nébula Games",
        "org_type": "start-up",
        "sector": "Jeu vidéo",
        "networks": ("Twitch", "YouTube", "X/Twitter", "Facebook"),
        "years_experience": 7,
        "education": "BTS Services informatiques aux organisations",
        "bio": (
            "Joueur avant d'être professionnel, Antoine Lefèvre a commencé comme modérateur bénévole d'un "
            "site communautaire. Il anime aujourd'hui la communauté de Nébula Games, un studio indépendant, "
            "entre lives sur Twitch, patchs ratés et joueurs en colère."
        ),
        "career": (
            (2006, 2009, "Modérateur bénévole puis rédacteur", "Site communautaire Jeux-Arène"),
            (2009, 2012, "Community manager", "Pixelune"),
            (2012, None, "Community manager", "Nébula Games"),
        ),
        "quality": 4.1,
    },
    {
        "speaker_id": "sp14",
        "name": "Camille Perrin",
        "title": "Social media manager",
        "organisation": "Brico Horizon",
        "org_type": "grand groupe",
        "sector": "Distribution spécialisée (bricolage et jardin)",
        "networks": ("Facebook", "Instagram", "Pinterest", "YouTube"),
        "years_experience": 7,
        "education": "BTS Communication, licence professionnelle e-commerce",
        "bio": (
            "Entrée chez Brico Horizon comme vendeuse conseil, Camille Perrin est passée par le marketing "
            "avant de prendre en main les réseaux sociaux de l'enseigne. Elle travaille avec les blogueurs "
            "déco et bricolage, et a appris à gérer leurs colères."
        ),
        "career": (
            (2007, 2009, "Vendeuse conseil puis assistante marketing", "Brico Horizon"),
            (2009, 2011, "Chargée de communication web", "Brico Horizon"),
            (2011, None, "Social media manager", "Brico Horizon"),
        ),
        "quality": 4.0,
    },
    {
        "speaker_id": "sp15",
        "name": "Pauline Guérin",
        "title": "Chargée de communication numérique",
        "organisation": "Conseil départemental de Loire-Littoral",
        "org_type": "collectivité",
        "sector": "Administration territoriale",
        "networks": ("Facebook", "X/Twitter", "Instagram"),
        "years_experience": 5,
        "education": "Licence professionnelle Animation de réseaux et de communautés (promotion 2011-2012)",
        "bio": (
            "Ancienne étudiante de la licence, Pauline Guérin a enchaîné contrat de professionnalisation, "
            "poste de CM dans une mairie puis au conseil départemental. Elle revient raconter ses premières "
            "années de métier à ceux qui sont assis à sa place d'hier."
        ),
        "career": (
            (
                2011,
                2012,
                "Community manager en contrat de professionnalisation",
                "Office de tourisme Loire-Estuaire",
            ),
            (2012, 2014, "Community manager", "Ville de Saint-Aubin-sur-Loire"),
            (2014, None, "Chargée de communication numérique", "Conseil départemental de Loire-Littoral"),
        ),
        "quality": 4.2,
    },
    {
        "speaker_id": "sp16",
        "name": "Olivier Masson",
        "title": "Directeur conseil",
        "organisation": "Agence Contre-Courant",
        "org_type": "agence",
        "sector": "Conseil en communication et publicité",
        "networks": ("LinkedIn", "X/Twitter", "Facebook"),
        "years_experience": 20,
        "education": "Master marketing et communication (école de commerce)",
        "bio": (
            "Publicitaire de formation, Olivier Masson dirige le conseil de l'Agence Contre-Courant, qui "
            "accompagne des marques nationales sur leur stratégie social media. Il aborde les réseaux sociaux "
            "sous l'angle du retour sur investissement."
        ),
        "career": (
            (1996, 2002, "Chef de publicité", "Agence Horizon Publicité"),
            (2002, 2008, "Directeur de clientèle", "Agence Horizon Publicité"),
            (2008, None, "Directeur conseil", "Agence Contre-Courant"),
        ),
        "quality": 3.1,
    },
    {
        "speaker_id": "sp17",
        "name": "Yasmine Kaci",
        "title": "Community manager indépendante",
        "organisation": "Yasmine Kaci CM",
        "org_type": "indépendant",
        "sector": "Commerce de proximité, restauration et artisanat",
        "networks": ("Instagram", "Facebook", "Pinterest", "Snapchat"),
        "years_experience": 5,
        "education": "Licence LEA anglais-espagnol, formations en ligne",
        "bio": (
            "Yasmine Kaci a longtemps travaillé en salle avant de devenir community manager, d'abord en agence "
            "puis à son compte. Elle anime les comptes de restaurants, d'artisans et de petits commerces, "
            "et parle sans détour de déconnexion et de burn-out."
        ),
        "career": (
            (2009, 2011, "Serveuse puis responsable de salle", "Restaurant Le Comptoir des Halles"),
            (2011, 2013, "Community manager", "Agence Houle"),
            (2013, None, "Community manager indépendante", "Yasmine Kaci CM"),
        ),
        "quality": 4.3,
    },
    {
        "speaker_id": "sp18",
        "name": "Romain Caradec",
        "title": "Responsable de la relation client sur les réseaux sociaux",
        "organisation": "Tanéo, réseau de transports de la métropole",
        "org_type": "université / établissement public",
        "sector": "Transports publics",
        "networks": ("X/Twitter", "Facebook", "Instagram"),
        "years_experience": 6,
        "education": "Master d'anglais (LLCE), formation continue en communication",
        "bio": (
            "Ancien professeur d'anglais, Romain Caradec est entré chez Tanéo à l'information voyageurs. "
            "Il répond aujourd'hui, avec son équipe, aux voyageurs sur Twitter dès 6 heures du matin : "
            "retards, grèves, pannes. Il défend une transparence totale sur les incidents."
        ),
        "career": (
            (2007, 2010, "Professeur d'anglais contractuel", "Éducation nationale"),
            (2010, 2012, "Chargé d'information voyageurs", "Tanéo, réseau de transports de la métropole"),
            (
                2012,
                None,
                "Responsable de la relation client sur les réseaux sociaux",
                "Tanéo, réseau de transports de la métropole",
            ),
        ),
        "quality": 4.5,
    },
    {
        "speaker_id": "sp19",
        "name": "Manon Lambert",
        "title": "Chargée des publics numériques",
        "organisation": "Muséum de l'Estuaire",
        "org_type": "université / établissement public",
        "sector": "Culture et sciences",
        "networks": ("Facebook", "Instagram", "X/Twitter", "YouTube"),
        "years_experience": 6,
        "education": "Master d'histoire de l'art et muséologie",
        "bio": (
            "Guide-conférencière de formation, Manon Lambert a convaincu le Muséum de l'Estuaire d'ouvrir ses "
            "réserves sur les réseaux sociaux. Live-tweets de nuits des musées, objets mystères et coulisses "
            "des restaurations ont fait du compte l'un des plus vivants du secteur."
        ),
        "career": (
            (2008, 2010, "Guide-conférencière", "Muséum de l'Estuaire"),
            (2010, None, "Chargée des publics numériques", "Muséum de l'Estuaire"),
        ),
        "quality": 4.0,
    },
    {
        "speaker_id": "sp20",
        "name": "David Kerbrat",
        "title": "Directeur associé",
        "organisation": "Sentinelle Réputation",
        "org_type": "agence",
        "sector": "Conseil en e-réputation",
        "networks": ("LinkedIn", "X/Twitter"),
        "years_experience": 12,
        "education": "Master intelligence économique",
        "bio": (
            "Spécialiste de l'intelligence économique, David Kerbrat a cofondé Sentinelle Réputation, une "
            "agence qui accompagne les marques et les institutions avant, pendant et après un bad buzz. "
            "Il enseigne la veille comme un réflexe quotidien."
        ),
        "career": (
            (2004, 2007, "Analyste en intelligence économique", "Cabinet Argos Stratégie"),
            (2007, 2010, "Consultant e-réputation", "Agence Horizon Publicité"),
            (2010, None, "Directeur associé", "Sentinelle Réputation"),
        ),
        "quality": 3.9,
    },
    {
        "speaker_id": "sp21",
        "name": "Sandrine Morvan",
        "title": "Social media manager",
        "organisation": "Mutuelle Atlantique",
        "org_type": "grand groupe",
        "sector": "Assurance et mutuelle santé",
        "networks": ("Facebook", "X/Twitter", "LinkedIn"),
        "years_experience": 8,
        "education": "Master de droit des affaires",
        "bio": (
            "Juriste de formation, Sandrine Morvan est passée du service juridique à la communication de la "
            "Mutuelle Atlantique. Elle a ouvert les comptes de la mutuelle dans un secteur où chaque mot "
            "engage et où les données de santé sont sensibles."
        ),
        "career": (
            (2004, 2008, "Juriste", "Mutuelle Atlantique"),
            (2008, 2011, "Chargée de communication", "Mutuelle Atlantique"),
            (2011, None, "Social media manager", "Mutuelle Atlantique"),
        ),
        "quality": 3.6,
    },
    {
        "speaker_id": "sp22",
        "name": "Hugo Besnard",
        "title": "Responsable communication",
        "organisation": "Festival Les Escales Sonores",
        "org_type": "association",
        "sector": "Culture et musiques actuelles",
        "networks": ("Facebook", "Instagram", "X/Twitter", "YouTube", "Snapchat"),
        "years_experience": 6,
        "education": "DUT Techniques de commercialisation",
        "bio": (
            "Bénévole du festival à vingt ans, Hugo Besnard en est devenu le responsable communication après "
            "un passage par une salle de concerts. Il fait vivre la communauté du festival toute l'année et "
            "partage ses règles pour tenir le rythme sans s'épuiser."
        ),
        "career": (
            (2008, 2010, "Bénévole puis coordinateur des bénévoles", "Festival Les Escales Sonores"),
            (2010, 2012, "Chargé de communication", "Salle de concerts Le Hangar"),
            (2012, None, "Responsable communication", "Festival Les Escales Sonores"),
        ),
        "quality": 4.3,
    },
)


class Talk(NamedTuple):
    """One intervention; its cohort and semester follow from the date (S1 = Sept–Jan, S2 = Feb–June)."""

    date: str
    speakers: tuple[str, ...]
    format: str
    title: str
    themes: tuple[str, ...]
    tools: tuple[str, ...] = ()
    shift: float = 0.0
    """How much better (or worse) than the speaker's usual quality this talk went."""
    answers: int | None = None
    """A fixed number of survey answers, for the talks almost nobody answered about."""


TALKS: tuple[Talk, ...] = (
    # 2011-2012
    Talk(
        "2011-10-06",
        ("sp06",),
        TESTIMONY,
        "Du journalisme au community management : vérifier avant de publier",
        ("parcours", "veille", "crise"),
    ),
    Talk(
        "2011-10-13",
        ("sp10",),
        TOOL,
        "Écouter avant de parler : la veille sociale avec Veillio",
        ("outils", "veille", "enthousiasme"),
        ("Veillio", "Google Alertes", "Netvibes"),
    ),
    Talk(
        "2011-11-03",
        ("sp20",),
        TESTIMONY,
        "E-réputation : ce que Google dit de vous quand vous ne regardez pas",
        ("crise", "veille", "strategie"),
    ),
    Talk(
        "2011-11-17",
        ("sp01",),
        TESTIMONY,
        "Animer les réseaux sociaux d'une université : 40 000 étudiants, un seul compte",
        ("parcours", "structure", "conversation", "enthousiasme"),
    ),
    Talk(
        "2011-12-01",
        ("sp04",),
        WORKSHOP,
        "Atelier : écrire pour les réseaux sociaux, du communiqué au tweet",
        ("strategie", "conversation"),
    ),
    Talk(
        "2012-02-02",
        ("sp16",),
        WORKSHOP,
        "Atelier : construire une stratégie social media en une matinée",
        ("strategie", "structure"),
        shift=-0.3,
    ),
    Talk(
        "2012-02-16",
        ("sp09",),
        TOOL,
        "Programmer ses publications sans devenir un robot",
        ("outils", "strategie", "conversation"),
        ("Calendo", "TweetDeck"),
    ),
    Talk(
        "2012-03-01",
        ("sp05",),
        TESTIMONY,
        "Une métropole sur Facebook : informer, répondre, rassurer",
        ("structure", "transparence", "conversation"),
    ),
    Talk(
        "2012-03-15",
        ("sp03",),
        TESTIMONY,
        "La vie d'un CM en agence : dix clients, dix tons de voix",
        ("parcours", "strategie", "engagement"),
    ),
    Talk(
        "2012-03-29",
        ("sp21",),
        TESTIMONY,
        "Assurance et réseaux sociaux : tout ce qu'on n'a pas le droit de dire",
        ("structure", "crise", "transparence"),
    ),
    Talk(
        "2012-04-12",
        ("sp19",),
        TESTIMONY,
        "Faire parler les dinosaures : un muséum sur les réseaux sociaux",
        ("enthousiasme", "conversation", "veille"),
        answers=3,
    ),
    # 2012-2013
    Talk(
        "2012-10-04",
        ("sp22",),
        TESTIMONY,
        "Un festival toute l'année sur les réseaux, pas seulement trois jours",
        ("enthousiasme", "conversation", "engagement"),
    ),
    Talk(
        "2012-10-11",
        ("sp06",),
        TESTIMONY,
        "Les commentaires sous nos articles : modérer sans censurer",
        ("crise", "conversation", "structure"),
    ),
    Talk(
        "2012-10-25",
        ("sp12",),
        TESTIMONY,
        "Communiquer pour un hôpital : quand chaque message compte",
        ("structure", "transparence", "crise"),
    ),
    Talk(
        "2012-11-08",
        ("sp16",),
        TESTIMONY,
        "Les réseaux sociaux vus par une agence : le ROI avant tout",
        ("strategie", "parcours"),
        shift=-0.5,
    ),
    Talk(
        "2012-11-22",
        ("sp04",),
        WORKSHOP,
        "Atelier : rédiger la charte de modération de votre page",
        ("crise", "conversation", "structure"),
    ),
    Talk(
        "2012-12-06",
        ("sp03",),
        WORKSHOP,
        "Atelier : du brief client au calendrier éditorial",
        ("strategie", "structure"),
    ),
    Talk(
        "2013-02-07",
        ("sp14",),
        TESTIMONY,
        "Clients mécontents et influenceurs : une enseigne sous le feu des commentaires",
        ("crise", "conversation", "transparence"),
    ),
    Talk(
        "2013-02-14",
        ("sp09",),
        TOOL,
        "Hootsuite, Buffer… planifier sans perdre la conversation",
        ("outils", "conversation", "strategie"),
        ("Calendo", "Hootsuite", "Buffer"),
    ),
    Talk(
        "2013-03-07",
        ("sp02",),
        TESTIMONY,
        "Le service client sur Twitter : l'expérience d'un groupe postal",
        ("structure", "transparence", "crise"),
    ),
    Talk(
        "2013-03-21",
        ("sp07",),
        TESTIMONY,
        "Mobiliser sans moyens : la communauté d'une association",
        ("conversation", "engagement", "enthousiasme"),
    ),
    Talk(
        "2013-04-04",
        ("sp20",),
        TOOL,
        "Tableau de bord d'e-réputation : les indicateurs qui comptent",
        ("outils", "veille", "crise"),
        ("Sentinelle Radar", "Google Alertes"),
    ),
    Talk(
        "2013-04-18",
        ("sp19",),
        TESTIMONY,
        "Muséum 2.0 : live-tweet, jeux-concours et nuit des musées",
        ("enthousiasme", "conversation", "strategie"),
    ),
    Talk(
        "2013-05-16",
        ("sp21",),
        TESTIMONY,
        "Charte, juristes et validation : publier dans une mutuelle",
        ("structure", "engagement", "transparence"),
        answers=4,
    ),
    # 2013-2014
    Talk(
        "2013-10-03",
        ("sp01",),
        TESTIMONY,
        "Quand l'université se trompe : reconnaître une erreur en public",
        ("transparence", "crise", "structure"),
    ),
    Talk(
        "2013-10-10",
        ("sp09",),
        TOOL,
        "Planifier, publier, mesurer : une journée type avec Calendo",
        ("outils", "strategie"),
        ("Calendo", "Facebook Insights"),
    ),
    Talk(
        "2013-10-24",
        ("sp13",),
        TESTIMONY,
        "Community manager dans le jeu vidéo : une communauté qui ne dort jamais",
        ("conversation", "engagement", "crise"),
    ),
    Talk(
        "2013-11-07",
        ("sp08",),
        TESTIMONY,
        "Lancer une start-up sur les réseaux sociaux avec zéro budget",
        ("strategie", "conversation", "parcours"),
    ),
    Talk(
        "2013-11-21",
        ("sp12",),
        TESTIMONY,
        "Rumeurs et fausses informations en santé : réagir vite et juste",
        ("crise", "transparence", "veille"),
    ),
    Talk(
        "2013-12-05",
        ("sp21",),
        TESTIMONY,
        "Social media dans l'assurance : la relation client à l'épreuve des réseaux",
        ("structure", "conversation"),
        shift=-0.4,
    ),
    Talk(
        "2014-02-06",
        ("sp03", "sp07"),
        TESTIMONY,
        "Une campagne associative de A à Z : l'agence et son client",
        ("strategie", "structure", "conversation"),
    ),
    Talk(
        "2014-02-20",
        ("sp04",),
        WORKSHOP,
        "Atelier : trouver sa ligne éditoriale (et s'y tenir)",
        ("strategie", "enthousiasme"),
    ),
    Talk(
        "2014-03-06",
        ("sp10",),
        TOOL,
        "Veillio : repérer une crise avant qu'elle n'éclate",
        ("outils", "veille", "crise"),
        ("Veillio", "Google Alertes"),
    ),
    Talk(
        "2014-03-20",
        ("sp18",),
        TESTIMONY,
        "Retards, grèves, pannes : le CM d'un réseau de transports en première ligne",
        ("crise", "transparence", "engagement"),
    ),
    Talk(
        "2014-04-03",
        ("sp05",),
        TESTIMONY,
        "Concertation citoyenne en ligne : faire participer sans décevoir",
        ("conversation", "transparence", "structure"),
    ),
    Talk(
        "2014-04-17",
        ("sp14",),
        TESTIMONY,
        "Travailler avec les blogueurs et les influenceurs (et survivre à leurs colères)",
        ("crise", "strategie", "conversation"),
    ),
    Talk(
        "2014-05-15",
        ("sp17",),
        TESTIMONY,
        "CM freelance : trouver ses clients, poser ses limites",
        ("parcours", "engagement"),
    ),
    # 2014-2015
    Talk(
        "2014-10-02",
        ("sp02",),
        TESTIMONY,
        "Un groupe national, des milliers de réclamations : organiser la réponse",
        ("structure", "crise", "engagement"),
    ),
    Talk(
        "2014-10-09",
        ("sp09",),
        TOOL,
        "Nouveautés Calendo : Instagram, validation et travail en équipe",
        ("outils", "strategie", "structure"),
        ("Calendo",),
    ),
    Talk(
        "2014-10-16",
        ("sp22",),
        TESTIMONY,
        "Un festival en ligne toute l'année : l'engagement sans l'épuisement",
        ("engagement", "enthousiasme", "parcours"),
    ),
    Talk(
        "2014-11-06",
        ("sp06",),
        TESTIMONY,
        "Réseaux sociaux et rédaction : la course au clic a-t-elle gagné ?",
        ("veille", "strategie"),
        shift=-0.5,
    ),
    Talk(
        "2014-11-20",
        ("sp18",),
        TESTIMONY,
        "Tweeter les incidents en temps réel : transparence et ton juste",
        ("transparence", "crise", "conversation"),
    ),
    Talk(
        "2014-12-04",
        ("sp14",),
        TESTIMONY,
        "Pinterest, Instagram et bricolage : une enseigne qui montre au lieu de vendre",
        ("enthousiasme", "strategie", "conversation"),
    ),
    Talk(
        "2015-01-15",
        ("sp04",),
        WORKSHOP,
        "Atelier : simulation de bad buzz en temps réel",
        ("crise", "engagement", "conversation"),
    ),
    Talk(
        "2015-02-05",
        ("sp11",),
        TOOL,
        "Mesurer l'engagement avec Kpilot : indicateurs et tableaux de bord",
        ("outils", "strategie"),
        ("Kpilot", "Google Analytics"),
        shift=-0.6,
    ),
    Talk(
        "2015-02-12",
        ("sp05",),
        TESTIMONY,
        "Les élus, les services et le CM : qui valide quoi ?",
        ("structure", "engagement", "transparence"),
    ),
    Talk(
        "2015-02-26",
        ("sp10", "sp20"),
        WORKSHOP,
        "Atelier veille : monter son dispositif d'écoute en deux heures",
        ("veille", "outils", "crise"),
        ("Veillio", "Netvibes", "Google Alertes"),
    ),
    Talk(
        "2015-03-12",
        ("sp07",),
        TESTIMONY,
        "Parler de mal-logement sans misérabilisme",
        ("conversation", "transparence", "enthousiasme"),
    ),
    Talk(
        "2015-03-26",
        ("sp13",),
        TESTIMONY,
        "Trolls, joueurs en colère et patch raté : trois crises en une semaine",
        ("crise", "conversation", "engagement"),
    ),
    Talk(
        "2015-04-09",
        ("sp15",),
        TESTIMONY,
        "De la licence pro au conseil départemental : trois ans de métier",
        ("parcours", "structure", "veille"),
    ),
    Talk(
        "2015-04-16",
        ("sp08",),
        TESTIMONY,
        "Grandir sans perdre sa communauté : ce que la croissance change",
        ("conversation", "strategie", "transparence"),
    ),
    Talk(
        "2015-05-07",
        ("sp17",),
        WORKSHOP,
        "Atelier : se déconnecter sans disparaître",
        ("engagement", "parcours"),
    ),
    Talk(
        "2015-05-21",
        ("sp19",),
        TESTIMONY,
        "Le muséum sur Instagram : montrer les coulisses",
        ("enthousiasme", "transparence", "veille"),
    ),
    # 2015-2016
    Talk(
        "2015-10-01",
        ("sp09",),
        TOOL,
        "Calendo en équipe : circuits de validation et calendrier partagé",
        ("outils", "structure", "strategie"),
        ("Calendo", "Trello"),
    ),
    Talk(
        "2015-10-08",
        ("sp01",),
        TESTIMONY,
        "Une université sur les réseaux sociaux : parcours, crises et passion",
        ("parcours", "structure", "crise", "veille"),
        shift=0.1,
    ),
    Talk(
        "2015-10-15",
        ("sp02",),
        TESTIMONY,
        "Comprendre sa structure avant de communiquer : le cas d'un groupe postal",
        ("structure", "strategie", "crise", "transparence"),
        shift=0.1,
    ),
    Talk(
        "2015-11-05",
        ("sp20",),
        TESTIMONY,
        "Gérer un bad buzz : méthode et retours d'expérience",
        ("crise", "veille", "strategie"),
    ),
    Talk(
        "2015-11-19",
        ("sp13",),
        TESTIMONY,
        "Streamer, modérer, animer : la communauté d'un jeu sur Twitch",
        ("conversation", "enthousiasme", "engagement"),
    ),
    Talk(
        "2015-11-26",
        ("sp05", "sp15"),
        WORKSHOP,
        "Atelier collectivités : tenir la page d'une ville un jour d'inondation",
        ("crise", "transparence", "structure"),
    ),
    Talk(
        "2015-12-03",
        ("sp18",),
        TESTIMONY,
        "Gérer un bad buzz quand on est un service public",
        ("crise", "transparence", "structure"),
    ),
    Talk(
        "2016-01-14",
        ("sp17",),
        TESTIMONY,
        "Instagram pour les commerçants : raconter le quotidien",
        ("enthousiasme", "strategie", "conversation"),
    ),
    Talk(
        "2016-02-04",
        ("sp11",),
        TOOL,
        "Kpilot : des statistiques aux décisions",
        ("outils", "strategie"),
        ("Kpilot", "Google Analytics", "Facebook Insights"),
        shift=0.2,
    ),
    Talk(
        "2016-02-11",
        ("sp12",),
        TESTIMONY,
        "Urgences et crises sanitaires : communiquer à l'hôpital",
        ("crise", "transparence", "engagement"),
    ),
    Talk(
        "2016-02-25",
        ("sp01", "sp18"),
        TESTIMONY,
        "Service public : dire quand ça ne marche pas",
        ("transparence", "crise", "conversation"),
    ),
    Talk(
        "2016-03-10",
        ("sp10",),
        TOOL,
        "Écoute sociale : de la veille à la décision",
        ("outils", "veille", "strategie"),
        ("Veillio", "Google Trends"),
    ),
    Talk(
        "2016-03-17",
        ("sp22",),
        TESTIMONY,
        "Live-tweet, stories et bénévoles : un festival en direct",
        ("enthousiasme", "conversation", "engagement"),
    ),
    Talk(
        "2016-03-31",
        ("sp08",),
        TESTIMONY,
        "Start-up : quand la communauté devient le service client",
        ("conversation", "structure", "transparence"),
    ),
    Talk(
        "2016-04-14",
        ("sp07",),
        WORKSHOP,
        "Atelier : écrire un appel aux dons qui donne envie de partager",
        ("conversation", "enthousiasme", "strategie"),
    ),
    Talk(
        "2016-04-28",
        ("sp04",),
        WORKSHOP,
        "Atelier : auditer une page et proposer une ligne éditoriale",
        ("strategie", "veille"),
    ),
)
