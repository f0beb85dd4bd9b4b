"""Hand-written quotes of the demo dataset: advice the speakers gave, as students noted it.

Each record is (speaker_id, theme ids separated by spaces, text[, talk]): `talk` pins the quote to the
speaker's talk whose id starts with it (e.g. "2015-2016-S1"), or is NO_TALK when the talk is unknown;
without it the generator picks the speaker's talk whose themes fit the quote best.
"""

from __future__ import annotations

NO_TALK = "-"

SEED_QUOTE_INNOVATION = (
    "Le CM doit être au chevet de l'innovation Web. Et pour cela, il se doit d'être passionné"
)
SEED_QUOTE_STRUCTURE = (
    "Avant même de faire votre métier de Community Manager, il faut que vous compreniez la structure "
    "dans laquelle vous travaillez et sa ligne de conduite"
)

PUBLISHED_QUOTES: tuple[tuple[str, ...], ...] = (
    # sp01, Université Nantes Atlantique
    ("sp01", "veille enthousiasme", SEED_QUOTE_INNOVATION, "2015-2016-S1"),
    (
        "sp01",
        "conversation",
        "Être capable d'encourager sa communauté à participer, c'est ça, la conversation. Un compte qui ne "
        "fait que publier, c'est un panneau d'affichage.",
        "2015-2016-S1",
    ),
    (
        "sp01",
        "engagement",
        "Il est tentant de s'impliquer plus qu'il ne le faut, mais une sur-implication n'est que très "
        "rarement bénéfique.",
        "2015-2016-S1",
    ),
    (
        "sp01",
        "conversation enthousiasme",
        "Nos meilleures publications ne parlent pas de l'université, elles parlent des étudiants. Laissez "
        "la communauté raconter votre structure à votre place.",
    ),
    (
        "sp01",
        "structure engagement",
        "Une université, ce sont des dizaines de composantes qui veulent toutes leur publication. Apprendre "
        "à dire non fait partie du métier.",
    ),
    (
        "sp01",
        "parcours",
        "Je n'ai aucun diplôme en communication. Ce qui m'a fait embaucher, c'est le blog que je tenais "
        "depuis cinq ans.",
    ),
    (
        "sp01",
        "crise structure",
        "Le jour des inscriptions en ligne, si la plateforme tombe, vous le saurez par Twitter avant de le "
        "savoir par le service informatique. Ayez leur numéro de téléphone.",
    ),
    (
        "sp01",
        "transparence crise",
        "Quand une information fausse est publiée sur notre page, on ne supprime pas le message. On le "
        "corrige en commentaire, en gardant la trace de l'erreur.",
    ),
    (
        "sp01",
        "engagement conversation",
        "Un étudiant qui râle à deux heures du matin n'attend pas une réponse à deux heures du matin. Il "
        "attend une réponse juste le lendemain.",
    ),
    (
        "sp01",
        "veille",
        "Testez chaque nouveau réseau sur un compte personnel avant d'y emmener votre institution. On ne "
        "découvre pas un outil en public.",
    ),
    (
        "sp01",
        "structure conversation",
        "Une page institutionnelle peut avoir de l'humour, à condition que tout le monde dans la maison "
        "sache jusqu'où on peut aller.",
    ),
    # sp02, Groupe Postal Hexagone
    ("sp02", "structure", SEED_QUOTE_STRUCTURE, "2015-2016-S1"),
    (
        "sp02",
        "transparence",
        "Le CM met en avant les activités de sa structure, mais il doit aussi savoir admettre lorsqu'un "
        "service ne fonctionne pas comme prévu.",
        "2015-2016-S1",
    ),
    (
        "sp02",
        "enthousiasme",
        "Être à l'écoute et partager des informations pertinentes, c'est le meilleur moyen de rendre un "
        "compte vivant.",
        "2015-2016-S1",
    ),
    (
        "sp02",
        "conversation engagement",
        "Un colis perdu, pour nous, c'est une réclamation parmi des milliers. Pour le client, c'est le "
        "cadeau d'anniversaire de sa fille. Répondez à la personne, pas au ticket.",
    ),
    (
        "sp02",
        "crise conversation",
        "Avant de répondre à une réclamation en public, demandez-vous qui d'autre va lire la réponse. "
        "Souvent, c'est pour eux que vous écrivez.",
    ),
    (
        "sp02",
        "transparence crise",
        "Passer la conversation en message privé, oui, mais toujours après une première réponse publique. "
        "Sinon, on a l'air de cacher quelque chose.",
    ),
    (
        "sp02",
        "parcours",
        "J'ai un BTS de vente. Le service client m'a appris plus sur les réseaux sociaux que n'importe quel cours.",
    ),
    (
        "sp02",
        "structure",
        "Dans un grand groupe, votre premier réseau social, c'est l'annuaire interne. Connaissez les gens "
        "qui savent où se trouve le colis.",
    ),
    (
        "sp02",
        "conversation",
        "Une réponse type, ça se repère tout de suite. Gardez des trames, mais réécrivez toujours la "
        "première phrase.",
    ),
    (
        "sp02",
        "transparence crise strategie",
        "Un jour de grève, publiez l'information avant que les clients ne la demandent. Ça divise les "
        "questions par deux.",
    ),
    (
        "sp02",
        "strategie conversation",
        "Ne mesurez pas votre réussite au nombre de réclamations traitées, mais au nombre de clients qui "
        "reviennent vous dire merci.",
        NO_TALK,
    ),
    # sp03, Agence Houle
    (
        "sp03",
        "parcours engagement",
        "En agence, le plus dur n'est pas de trouver le ton d'une marque, c'est d'en changer dix fois par "
        "jour sans se tromper de compte.",
    ),
    (
        "sp03",
        "strategie",
        "Un calendrier éditorial n'est pas une prison. Il sert à libérer du temps pour réagir à l'actualité.",
    ),
    (
        "sp03",
        "strategie conversation",
        "Le brief client dit ce que la marque veut dire. Votre travail, c'est de trouver ce que la "
        "communauté a envie d'entendre.",
    ),
    (
        "sp03",
        "outils crise",
        "Ne publiez jamais pour un client depuis l'application où votre compte personnel est ouvert. Une "
        "erreur de compte, et c'est votre vie privée qui s'affiche sur sa page.",
    ),
    (
        "sp03",
        "strategie",
        "Une ligne éditoriale tient sur une page. Si elle en fait vingt, personne ne la lira, pas même vous.",
    ),
    (
        "sp03",
        "strategie structure",
        "Le client a toujours une idée de jeu-concours. Votre rôle est de lui demander ce qu'il compte "
        "faire de ces nouveaux fans le lendemain.",
    ),
    (
        "sp03",
        "conversation structure",
        "Quand vous travaillez pour une association, la communauté existe déjà. Vous n'avez pas à la "
        "créer, seulement à lui donner la parole.",
        "2013-2014-S2",
    ),
    # sp04, Thomas Nguyen Conseil
    (
        "sp04",
        "crise structure",
        "Une charte de modération se rédige avant la crise, jamais pendant. Le jour où le troll arrive, "
        "vous n'avez plus qu'à l'appliquer.",
    ),
    (
        "sp04",
        "crise conversation",
        "Ne nourrissez pas le troll, mais ne le laissez pas seul avec votre communauté. Un message calme, "
        "une seule fois, et ensuite la charte.",
    ),
    (
        "sp04",
        "strategie structure",
        "Votre ligne éditoriale doit permettre à un stagiaire de savoir ce qu'il peut publier sans vous appeler.",
    ),
    (
        "sp04",
        "conversation strategie",
        "Lisez vos tweets à voix haute. Si ça sonne comme un communiqué de presse, recommencez.",
    ),
    (
        "sp04",
        "parcours",
        "J'ai appris ce métier en modérant un forum de passionnés de voitures. Personne ne m'a demandé mon "
        "diplôme, on m'a demandé ce que j'avais animé.",
    ),
    (
        "sp04",
        "crise",
        "Un bad buzz dure rarement plus de quarante-huit heures. Ce qui reste, c'est la façon dont vous y "
        "avez répondu.",
    ),
    (
        "sp04",
        "crise transparence",
        "Supprimer un commentaire négatif, c'est en recevoir dix autres. Le masquer sans explication, c'est pire.",
    ),
    (
        "sp04",
        "crise engagement",
        "Pendant une simulation, tout le monde veut répondre vite et long. En vrai, la meilleure première "
        "réponse tient en une phrase : on a vu, on regarde, on revient vers vous.",
    ),
    (
        "sp04",
        "conversation",
        "Une vraie question à la fin d'une publication vaut mieux que trois hashtags.",
    ),
    (
        "sp04",
        "strategie structure",
        "Auditez une page comme le ferait un inconnu : qu'est-ce que je comprends de cette structure en "
        "dix secondes ?",
    ),
    (
        "sp04",
        "strategie",
        "La ligne éditoriale, c'est d'abord la liste de ce que vous ne publierez jamais.",
    ),
    (
        "sp04",
        "crise transparence structure",
        "Dans votre charte de modération, écrivez aussi ce que vous ne supprimerez jamais : la critique "
        "argumentée. C'est ce qui vous rend crédible.",
    ),
    (
        "sp04",
        "veille",
        "Passez vingt minutes par jour à regarder ce qui se fait ailleurs. La veille est une habitude, pas un projet.",
        NO_TALK,
    ),
    # sp05, Métropole Loire Océane
    (
        "sp05",
        "conversation transparence",
        "Un habitant qui signale un nid-de-poule sur Facebook vous fait un cadeau. Remerciez-le, "
        "transmettez, et dites-lui quand c'est réparé.",
    ),
    (
        "sp05",
        "structure engagement",
        "En collectivité, l'élu a le dernier mot sur le fond. Le CM doit garder le dernier mot sur le ton.",
    ),
    (
        "sp05",
        "conversation transparence",
        "Une concertation en ligne qui ne change rien à la décision finale, c'est pire que pas de "
        "concertation du tout.",
    ),
    (
        "sp05",
        "structure transparence",
        "Ne promettez jamais en commentaire ce que le service technique n'a pas validé.",
    ),
    (
        "sp05",
        "structure",
        "Pendant une période électorale, la page de la ville ne met plus en avant les élus. Connaître ces "
        "règles, c'est protéger le service.",
    ),
    (
        "sp05",
        "crise strategie",
        "Le jour d'une inondation, votre page devient un service public d'information. Ce n'est plus le "
        "moment des jolis visuels.",
        "2015-2016-S1",
    ),
    (
        "sp05",
        "transparence",
        "Publier la fréquentation de la piscine, même quand elle baisse, c'est ce qui rend crédibles les "
        "bonnes nouvelles.",
    ),
    (
        "sp05",
        "strategie conversation",
        "La page d'une collectivité n'a pas besoin d'être drôle. Elle doit être utile, rapide et polie. "
        "Le reste est un bonus.",
    ),
    # sp06, Groupe Ouest Médias
    (
        "sp06",
        "veille crise",
        "Vérifier avant de publier, ce n'est pas de la lenteur. Une rumeur relayée par un compte officiel "
        "devient une information.",
    ),
    (
        "sp06",
        "parcours strategie",
        "L'école de journalisme m'a appris à écrire court. Les réseaux sociaux m'ont appris à écrire pour "
        "quelqu'un qui ne lira que le titre.",
    ),
    (
        "sp06",
        "crise conversation",
        "Sous nos articles, dix personnes écrivent et mille lisent. On modère pour les mille.",
    ),
    (
        "sp06",
        "conversation crise",
        "Modérer n'est pas censurer. On supprime l'insulte, pas le désaccord.",
    ),
    (
        "sp06",
        "strategie transparence",
        "Un titre qui trompe sur le contenu rapporte des clics un jour et coûte la confiance toute l'année.",
    ),
    (
        "sp06",
        "veille",
        "Les réseaux sociaux sont devenus la première source de nos journalistes. Encore faut-il savoir "
        "qui parle, et pourquoi.",
    ),
    (
        "sp06",
        "crise structure",
        "Un journaliste qui vous interpelle sur Twitter cherche une citation. Écrivez votre réponse comme "
        "si elle allait être imprimée le lendemain.",
    ),
    # sp07, Toits Solidaires
    (
        "sp07",
        "conversation enthousiasme",
        "Dans une association, la communauté, ce sont d'abord les bénévoles. Ce sont eux qu'il faut "
        "mettre en avant, pas le logo.",
    ),
    (
        "sp07",
        "strategie enthousiasme",
        "On peut parler de mal-logement sans misérabilisme. Les gens partagent l'espoir bien plus que la pitié.",
    ),
    (
        "sp07",
        "strategie engagement",
        "Quand on n'a pas de budget, on a du temps et des histoires. C'est largement suffisant pour démarrer.",
    ),
    (
        "sp07",
        "conversation engagement",
        "Répondre à tous les commentaires, même aux plus durs, c'est dire aux personnes qu'on aide qu'elles comptent.",
    ),
    (
        "sp07",
        "strategie conversation",
        "Un appel aux dons qui marche, c'est une histoire, un chiffre et un geste simple. Pas trois "
        "paragraphes de contexte.",
    ),
    (
        "sp07",
        "engagement",
        "Je me suis fixé une règle : pas de notifications le dimanche. L'association a survécu, et moi aussi.",
    ),
    (
        "sp07",
        "transparence",
        "Dites à vos donateurs ce que leur argent est devenu, y compris quand un projet a échoué.",
    ),
    (
        "sp07",
        "structure crise",
        "Un bénévole qui publie une photo de la distribution sans autorisation, ça arrive. Ayez une règle "
        "simple sur le droit à l'image, et partagez-la avec tout le monde.",
    ),
    # sp08, Roulons Ensemble
    (
        "sp08",
        "conversation strategie",
        "Avec zéro budget, votre premier média, ce sont vos cinquante premiers utilisateurs. Connaissez-les "
        "par leur prénom.",
    ),
    (
        "sp08",
        "structure engagement",
        "Dans une start-up, le CM devient vite le service client, le support et parfois le testeur. Il "
        "faut l'accepter, ou poser ses limites dès le départ.",
    ),
    (
        "sp08",
        "transparence crise",
        "Quand l'appli plante, dites-le avant que vos utilisateurs ne le découvrent. Ils pardonnent la "
        "panne, pas le silence.",
    ),
    (
        "sp08",
        "strategie conversation",
        "Ne copiez pas le ton des grandes marques. Votre force, c'est justement qu'on sait qui se cache "
        "derrière le compte.",
    ),
    (
        "sp08",
        "conversation engagement",
        "La croissance change la communauté. Les premiers fans ne supportent pas d'être traités comme des numéros.",
    ),
    (
        "sp08",
        "parcours",
        "En école de commerce, personne ne m'a parlé de community management. J'ai appris en faisant, et "
        "en me plantant souvent.",
    ),
    (
        "sp08",
        "conversation veille",
        "Vos utilisateurs vous donnent vos meilleures idées de fonctionnalités en commentaire. Encore "
        "faut-il les lire, et leur répondre.",
    ),
    (
        "sp08",
        "transparence conversation",
        "Le jour où on a levé des fonds, on l'a annoncé à la communauté avant la presse. Ce sont eux qui "
        "nous avaient portés jusque-là.",
    ),
    # sp09, Calendo
    (
        "sp09",
        "outils conversation engagement",
        "Programmer une publication, c'est bien. La programmer et ne pas être là quand les réponses "
        "arrivent, c'est une faute.",
    ),
    (
        "sp09",
        "outils strategie",
        "Un outil de planification ne remplace pas une ligne éditoriale. Il rend seulement ses trous visibles.",
    ),
    (
        "sp09",
        "outils crise",
        "Quand une crise éclate, coupez toutes les publications programmées. Rien n'est pire qu'un message "
        "joyeux au milieu d'un drame.",
    ),
    (
        "sp09",
        "outils structure",
        "Dans une équipe, le calendrier partagé évite le pire : deux personnes qui répondent différemment "
        "au même client.",
    ),
    (
        "sp09",
        "outils structure",
        "Choisissez votre outil après avoir défini votre organisation, jamais avant. C'est l'outil qui "
        "doit s'adapter à votre circuit de validation.",
    ),
    (
        "sp09",
        "outils engagement",
        "Planifier le vendredi les publications du week-end, c'est le meilleur moyen de vraiment "
        "déconnecter. À condition que quelqu'un soit d'astreinte.",
    ),
    (
        "sp09",
        "outils strategie",
        "Les meilleurs horaires de publication de votre page ne sont pas dans un article de blog. Ils sont "
        "dans vos statistiques.",
    ),
    (
        "sp09",
        "outils conversation",
        "Un outil payant ne vous rend pas meilleur. Il vous fait gagner du temps pour ce qui compte : "
        "répondre aux gens.",
    ),
    (
        "sp09",
        "outils conversation",
        "Si une publication ne peut pas être préparée à l'avance, c'est peut-être qu'elle mérite d'être "
        "écrite en direct.",
    ),
    # sp10, Veillio
    (
        "sp10",
        "veille conversation",
        "La veille, c'est écouter avant de parler. Une marque qui publie sans écouter parle toute seule.",
    ),
    (
        "sp10",
        "veille crise",
        "Les premiers signaux d'un bad buzz sont rarement sur votre page. Ils sont dans un forum, un groupe "
        "ou un tweet qui ne vous est pas adressé.",
    ),
    (
        "sp10",
        "outils veille",
        "Un outil d'écoute ne vaut que par ses mots-clés. Passez une heure à les construire, et une heure "
        "par mois à les revoir.",
    ),
    (
        "sp10",
        "outils veille",
        "Mettez les fautes d'orthographe dans vos requêtes. Les gens qui se plaignent écrivent rarement bien "
        "le nom de votre marque.",
    ),
    (
        "sp10",
        "outils crise",
        "Une alerte qui sonne cent fois par jour finit par ne plus être lue. Réglez vos seuils, sinon vous "
        "raterez la vraie crise.",
    ),
    (
        "sp10",
        "veille enthousiasme",
        "L'écoute sociale ne sert pas qu'à éteindre des feux. Elle vous dit aussi de quoi votre communauté "
        "a envie de parler.",
    ),
    (
        "sp10",
        "outils veille",
        "Google Alertes et un agrégateur de flux suffisent pour commencer. L'outil professionnel vient "
        "quand vous savez ce que vous cherchez.",
    ),
    (
        "sp10",
        "veille outils",
        "Un bon mot-clé de veille, c'est celui qu'emploient vos clients, pas celui que votre service "
        "marketing a inventé.",
        NO_TALK,
    ),
    # sp11, Kpilot
    (
        "sp11",
        "outils strategie",
        "Le nombre de fans est un indicateur de vanité. Regardez plutôt combien de personnes vous répondent.",
    ),
    (
        "sp11",
        "strategie outils",
        "Un taux d'engagement sans objectif ne dit rien. Décidez d'abord de ce que vous voulez que votre "
        "communauté fasse.",
    ),
    (
        "sp11",
        "outils conversation",
        "Mesurer l'engagement, c'est compter les conversations, pas les likes.",
    ),
    (
        "sp11",
        "outils structure",
        "Un tableau de bord doit tenir sur un écran. S'il faut faire défiler, votre direction ne le lira pas.",
    ),
    (
        "sp11",
        "outils strategie",
        "Comparez vos chiffres à vous-même, mois après mois, pas à ceux de la marque voisine qui a dix "
        "fois votre budget.",
    ),
    (
        "sp11",
        "outils veille",
        "Les statistiques disent ce qui s'est passé, jamais pourquoi. Pour le pourquoi, il faut lire les commentaires.",
    ),
    # sp12, CHU de l'Estuaire
    (
        "sp12",
        "crise structure",
        "À l'hôpital, une information fausse peut envoyer mille personnes aux urgences. On ne publie rien "
        "qui n'ait été vérifié par un médecin.",
    ),
    (
        "sp12",
        "crise transparence",
        "Quand une rumeur circule, le silence passe pour un aveu. Mieux vaut dire ce qu'on sait, et ce "
        "qu'on ne sait pas encore.",
    ),
    (
        "sp12",
        "conversation crise",
        "Un patient qui se plaint en public n'attend pas un communiqué. Il attend qu'on l'appelle.",
    ),
    (
        "sp12",
        "structure engagement",
        "Le secret médical passe avant tout, même avant une belle histoire à raconter.",
    ),
    (
        "sp12",
        "transparence enthousiasme",
        "Montrer les soignants au travail, les coulisses, les nuits de garde : c'est ce qui nous a fait "
        "gagner la confiance de la communauté.",
    ),
    (
        "sp12",
        "crise structure",
        "En temps de crise, une seule voix. Le CM n'a pas à improviser la communication de la direction.",
    ),
    (
        "sp12",
        "crise",
        "Après une crise, faites un retour d'expérience à froid. C'est là qu'on apprend le plus.",
    ),
    (
        "sp12",
        "crise structure",
        "Une crise sanitaire ne se gère pas depuis le seul compte de l'hôpital. Coordonnez-vous avec "
        "l'agence régionale de santé et la préfecture avant de publier.",
    ),
    # sp13, Nébula Games
    (
        "sp13",
        "engagement conversation",
        "Une communauté de joueurs ne dort jamais. Pour tenir, il faut une équipe, des horaires, et le "
        "courage de les respecter.",
    ),
    (
        "sp13",
        "crise transparence",
        "Le jour d'un patch raté, ne défendez pas le jeu. Reconnaissez le bug, donnez une date de "
        "correction, et tenez-la.",
    ),
    ("sp13", "crise", "Un troll cherche un public. Si vous lui répondez à chaud, vous lui en offrez un."),
    (
        "sp13",
        "conversation crise",
        "Vos joueurs les plus critiques sont souvent les plus passionnés. Donnez-leur un endroit pour "
        "parler, ils deviendront vos meilleurs ambassadeurs.",
    ),
    (
        "sp13",
        "parcours",
        "J'ai commencé comme modérateur bénévole. Dans le jeu vidéo, la crédibilité se gagne en jouant, "
        "pas avec un diplôme.",
    ),
    (
        "sp13",
        "conversation outils",
        "Pendant un live, le chat va plus vite que vous. Fixez les règles dès la première minute et "
        "appuyez-vous sur des modérateurs issus de la communauté.",
    ),
    (
        "sp13",
        "engagement crise",
        "Ne prenez pas les insultes pour vous, elles visent le studio. Mais gardez toujours quelqu'un à "
        "qui en parler après.",
    ),
    (
        "sp13",
        "veille",
        "Testez les nouveautés des plateformes le jour de leur sortie. Dans le jeu vidéo, la communauté "
        "les a déjà adoptées la veille.",
    ),
    # sp14, Brico Horizon
    (
        "sp14",
        "crise conversation",
        "Un influenceur mécontent reste un client. Réglez d'abord son problème, ensuite seulement pensez à "
        "son audience.",
    ),
    (
        "sp14",
        "crise transparence",
        "Ne payez jamais un blogueur pour qu'il retire un billet négatif. Ça finit toujours par se savoir.",
    ),
    (
        "sp14",
        "enthousiasme strategie",
        "Sur Pinterest, on ne vend pas une perceuse. On montre l'étagère qu'on a construite avec.",
    ),
    (
        "sp14",
        "conversation crise",
        "Répondre à une cliente en colère en citant l'article et le magasin concernés montre qu'on a "
        "vraiment regardé son problème.",
    ),
    (
        "sp14",
        "structure enthousiasme",
        "Les vendeurs en magasin sont nos meilleurs rédacteurs. Je passe une journée par mois en rayon "
        "pour récolter leurs astuces.",
    ),
    (
        "sp14",
        "strategie transparence",
        "Avec un influenceur, mettez tout par écrit avant la collaboration : ce qui est payé, ce qui est "
        "offert, ce qui doit être mentionné.",
    ),
    (
        "sp14",
        "strategie enthousiasme",
        "Une enseigne qui ne publie que des promotions finit par être masquée. Partagez des idées, les "
        "ventes suivent.",
    ),
    (
        "sp14",
        "strategie conversation",
        "Un jeu-concours attire des chasseurs de cadeaux, pas une communauté. À utiliser avec parcimonie.",
    ),
    # sp15, Conseil départemental de Loire-Littoral
    (
        "sp15",
        "parcours",
        "J'étais assise à votre place il y a quatre ans. Mon contrat de professionnalisation m'a plus "
        "appris sur le métier que n'importe quel examen.",
    ),
    (
        "sp15",
        "parcours",
        "Le diplôme vous ouvre la porte de l'entretien. Ce qui vous fait embaucher, ce sont les comptes "
        "que vous avez animés.",
    ),
    (
        "sp15",
        "structure",
        "En arrivant dans une collectivité, j'ai passé trois mois à comprendre qui décide quoi. C'est du "
        "temps bien investi.",
    ),
    (
        "sp15",
        "crise transparence",
        "Un jour d'inondation, indiquez l'heure de chaque mise à jour. Les gens veulent savoir si "
        "l'information est encore valable.",
        "2015-2016-S1",
    ),
    (
        "sp15",
        "veille",
        "Gardez un œil sur ce que font les autres départements. Les bonnes idées voyagent vite entre collectivités.",
    ),
    (
        "sp15",
        "structure parcours",
        "En sortant de formation, on veut tout révolutionner. Commencez par écouter comment la structure "
        "fonctionne, ensuite proposez.",
    ),
    # sp16, Agence Contre-Courant
    (
        "sp16",
        "strategie",
        "Une stratégie social media commence par un objectif business. Le reste, c'est de l'animation.",
    ),
    (
        "sp16",
        "strategie structure",
        "Le client ne vous paie pas pour des likes, il vous paie pour des résultats. Apprenez à parler son langage.",
    ),
    ("sp16", "strategie", "Chaque réseau a son rôle. Être partout, c'est souvent n'être bon nulle part."),
    # sp17, Yasmine Kaci
    (
        "sp17",
        "engagement parcours",
        "En freelance, le plus dur n'est pas de trouver des clients, c'est de leur dire que vous ne "
        "répondez pas le dimanche.",
    ),
    (
        "sp17",
        "engagement",
        "Le burn-out du CM n'est pas une légende. Coupez les notifications le soir, votre communauté ne "
        "vous en voudra pas.",
    ),
    (
        "sp17",
        "strategie enthousiasme",
        "Un restaurant n'a pas besoin d'une stratégie compliquée. Une belle photo du plat du jour à "
        "11 heures, tous les jours, ça marche.",
    ),
    (
        "sp17",
        "enthousiasme transparence",
        "Pour un artisan, le compte Instagram, c'est la vitrine. Montrez les mains, les gestes, et les "
        "ratés aussi.",
    ),
    (
        "sp17",
        "engagement structure",
        "Mettez le temps de réponse aux commentaires dans vos devis. Sinon, vous travaillerez gratuitement le soir.",
    ),
    (
        "sp17",
        "parcours conversation",
        "Je n'ai pas appris le métier à l'école. Je l'ai appris en servant des clients en salle, et c'est "
        "exactement le même métier.",
    ),
    (
        "sp17",
        "engagement transparence",
        "Se déconnecter, ce n'est pas disparaître. Annoncez vos horaires de réponse sur la page, tout le "
        "monde comprend.",
    ),
    (
        "sp17",
        "strategie engagement",
        "Ne vous comparez pas aux comptes qui publient trois fois par jour. La régularité compte plus que la quantité.",
        NO_TALK,
    ),
    # sp18, Tanéo
    (
        "sp18",
        "transparence crise",
        "Un bus en retard, on ne peut pas toujours l'empêcher. Un voyageur qui n'est pas prévenu, si.",
    ),
    (
        "sp18",
        "crise conversation",
        "Sur Twitter, un voyageur furieux à 7 h 45 attend une information, pas des excuses. Les excuses "
        "viennent après.",
    ),
    (
        "sp18",
        "transparence crise",
        "Un jour de grève, publiez le plan de transport même s'il est mauvais. Le silence est toujours pire "
        "qu'une mauvaise nouvelle.",
    ),
    (
        "sp18",
        "crise structure",
        "Gérer un bad buzz quand on est un service public, c'est d'abord se rappeler qu'on est au service "
        "des gens, pas de son image.",
        "2015-2016-S1",
    ),
    (
        "sp18",
        "parcours engagement",
        "J'étais prof d'anglais. Ce qui m'a le plus servi, c'est d'avoir appris à garder mon calme face à "
        "trente ados.",
    ),
    (
        "sp18",
        "structure crise",
        "Quand le tram tombe en panne, mon premier réflexe est d'appeler le poste de commande, pas d'ouvrir "
        "Twitter. Il faut avoir l'information avant de la partager.",
    ),
    (
        "sp18",
        "transparence",
        "Avouer qu'un service ne marche pas comme prévu, c'est aussi montrer qu'on sait qu'il devrait "
        "marcher mieux.",
    ),
    (
        "sp18",
        "conversation crise",
        "L'humour avec les voyageurs, oui, mais jamais le jour où ils sont coincés sur un quai.",
    ),
    (
        "sp18",
        "conversation structure",
        "Les mêmes questions reviennent toujours. Une foire aux questions à jour, c'est du temps gagné "
        "pour les vraies conversations.",
    ),
    # sp19, Muséum de l'Estuaire
    (
        "sp19",
        "enthousiasme strategie",
        "Un muséum garde des millions d'objets dans ses réserves. Chacun est une histoire à publier.",
    ),
    (
        "sp19",
        "enthousiasme conversation",
        "Le live-tweet d'une nuit des musées se prépare comme un spectacle : un fil rouge, des "
        "rendez-vous, et de la place pour l'imprévu.",
    ),
    (
        "sp19",
        "transparence enthousiasme",
        "Montrer les coulisses, c'est aussi montrer les restaurations qui tournent mal. Les gens adorent "
        "voir le vrai travail.",
    ),
    (
        "sp19",
        "conversation",
        "Répondez aux questions des enfants avec le même sérieux qu'à celles des chercheurs. Ce sont les "
        "visiteurs de demain.",
    ),
    (
        "sp19",
        "veille",
        "Suivez les comptes des musées du monde entier. Les meilleures idées viennent rarement de son propre pays.",
    ),
    (
        "sp19",
        "conversation enthousiasme",
        "Demander aux abonnés de deviner l'objet du jour, c'est une question simple qui fait commenter des "
        "centaines de personnes.",
    ),
    # sp20, Sentinelle Réputation
    (
        "sp20",
        "veille strategie",
        "Votre e-réputation, c'est ce que Google dit de vous quand vous ne regardez pas.",
    ),
    (
        "sp20",
        "crise",
        "Un bad buzz, c'est un problème réel plus une réponse ratée. Réglez le problème, et la moitié du "
        "bad buzz disparaît.",
    ),
    (
        "sp20",
        "crise engagement",
        "En pleine crise, répondez en moins d'une heure, même pour dire que vous n'avez pas encore la réponse.",
    ),
    (
        "sp20",
        "crise",
        "Ne menacez jamais un internaute de poursuites en public. C'est le meilleur moyen de transformer une "
        "critique en affaire nationale.",
    ),
    (
        "sp20",
        "crise structure",
        "Préparez vos messages de crise à froid : qui valide, qui répond, qui se tait. Le jour J, il n'est "
        "plus temps d'en discuter.",
    ),
    (
        "sp20",
        "veille crise",
        "Une veille bien faite, c'est savoir qu'un sujet monte avant que les journalistes ne vous appellent.",
    ),
    (
        "sp20",
        "veille conversation",
        "Les avis négatifs sont une mine d'or. Ils vous disent gratuitement ce que vos clients pensent vraiment.",
    ),
    (
        "sp20",
        "crise veille",
        "Ce qui est publié reste. Le droit à l'oubli existe, mais il ne remplace pas la prudence.",
    ),
    (
        "sp20",
        "crise conversation",
        "Un internaute mécontent avec beaucoup d'abonnés n'a pas plus raison qu'un autre. Mais sa réponse "
        "sera plus lue, alors soignez-la.",
        NO_TALK,
    ),
    # sp21, Mutuelle Atlantique
    (
        "sp21",
        "structure",
        "Dans l'assurance, chaque mot peut engager la mutuelle. Faites relire vos réponses types par le "
        "service juridique, une bonne fois pour toutes.",
    ),
    (
        "sp21",
        "parcours structure",
        "Je suis juriste de formation. Connaître la réglementation m'a permis de dire oui plus souvent, pas moins.",
    ),
    (
        "sp21",
        "structure conversation",
        "Un adhérent qui parle de sa santé en public, on lui répond en privé, toujours. On protège ses "
        "données, même contre lui-même.",
    ),
    (
        "sp21",
        "structure strategie",
        "Un circuit de validation de trois jours est incompatible avec les réseaux sociaux. Négociez des "
        "réponses pré-validées.",
    ),
    (
        "sp21",
        "transparence crise",
        "Expliquer pourquoi un remboursement prend du temps, c'est déjà désamorcer la moitié des colères.",
    ),
    (
        "sp21",
        "engagement conversation",
        "Ne laissez jamais un commentaire sans réponse plus de vingt-quatre heures, même pour dire que le "
        "dossier est en cours.",
    ),
    # sp22, Festival Les Escales Sonores
    (
        "sp22",
        "enthousiasme strategie",
        "Un festival dure trois jours, sa communauté vit toute l'année. Les onze autres mois, racontez les coulisses.",
    ),
    (
        "sp22",
        "engagement",
        "Pendant le festival, je dors quatre heures par nuit. Le reste de l'année, je me l'interdis. Le "
        "juste engagement, c'est aussi ça.",
    ),
    (
        "sp22",
        "conversation enthousiasme",
        "Les bénévoles sont les meilleurs community managers du festival. Donnez-leur des contenus, ils les "
        "partageront mieux que vous.",
    ),
    (
        "sp22",
        "crise transparence",
        "Une annulation de concert s'annonce vite, avec les modalités de remboursement dans le même message.",
    ),
    (
        "sp22",
        "enthousiasme",
        "Une story un peu floue prise dans la foule vaut parfois mieux qu'un visuel parfait. Les gens "
        "veulent être là, pas regarder une affiche.",
    ),
    (
        "sp22",
        "engagement crise",
        "Ne répondez pas à chaud aux critiques sur la programmation le soir du concert. Le lendemain, avec "
        "un café, ça se passe beaucoup mieux.",
    ),
    (
        "sp22",
        "enthousiasme veille",
        "Un bon CM de festival connaît la programmation par cœur. La passion, ça ne se simule pas.",
    ),
)

PROPOSED_QUOTES: tuple[tuple[str, ...], ...] = (
    # Proposed by students after the talks, waiting for the director's moderation.
    (
        "sp18",
        "conversation engagement",
        "Le CM n'est pas là pour défendre la marque à tout prix, il est là pour aider les gens.",
    ),
    ("sp13", "crise conversation", "Un bon modérateur se voit peu mais se sent beaucoup."),
    ("sp01", "veille enthousiasme", "Il faut être curieux de tout, tout le temps."),
    ("sp09", "outils", "L'outil ne fait pas le CM."),
    ("sp12", "crise structure", "En santé, la prudence est une forme de respect."),
    ("sp17", "engagement", "Votre téléphone n'est pas votre bureau."),
    ("sp02", "conversation crise", "Un client qui se plaint est un client qui croit encore en vous."),
)

REFUSED_QUOTES: tuple[tuple[str, ...], ...] = (
    # Proposals the director refused: misquoted, or contrary to what was actually said.
    ("sp16", "strategie", "Les réseaux sociaux, c'est facile, il suffit de publier tous les jours."),
    ("sp06", "parcours", "Les journalistes font les meilleurs community managers."),
    ("sp04", "crise", "Bloquez tous les trolls, sans discuter."),
)
