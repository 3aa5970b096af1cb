"""A synthetic catalogue for performance measurement (`manage.py generate_synthetic`).

`generate()` adds N published initiatives, deterministic for a seed, shaped like the real
catalogue at scale: varied titles and ~80-word summaries drawn from word lists with a Zipf-like
skew (so a few words match 5–15 % of cases, dozens 1–5 %, most far fewer), 1–3 sectors,
technologies and requirement alignments, 1–2 beneficiary groups, 0–2 partners, 1–2 of 60
countries, start years 2005–2025 leaning recent, Chinese text on about one case in five, a
tool profile on about one in eight (1–3 tasks, a deployment and a licence most often given;
drawn from a random source of their own, so the rest is as it was before tools), and
about N/10 organisations, some leading many cases and most few. It reuses the shipped
vocabularies (run `load_catalogue` first) and adds sectors only up to the twelve the
performance issue (#9) measures.

Everything it makes is marked twice, so that `purge()` removes exactly that: a `synthetic-`
slug, plus a citation of the source "Synthetic catalogue (generated)" (initiatives) or the
MARKER description (organisations, sectors). The citation also tells readers what they see.

Rows are written with bulk_create, which sends no signals: the catalogue revision is moved
once at the end (see catalogue/revisions.py), and no history rows are written for them.
"""

import itertools
import json
import random
import string
import sys
import time
from datetime import UTC, datetime, timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import CASCADE
from django.utils import translation
from django.utils.text import slugify
from django_countries import countries as all_countries

from . import revisions
from .models import (
    BeneficiaryGroup,
    Citation,
    Initiative,
    Organisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Task,
    Technology,
    ToolProfile,
)

PREFIX = "synthetic-"
MARKER = "Synthetic catalogue (generated): made by manage.py generate_synthetic, not a real record."
SOURCE_SLUG = "synthetic-catalogue"
SOURCE_TITLE = "Synthetic catalogue (generated)"
SECTORS_WANTED = 12
BATCH = 2000
# Published dates are spread back from this fixed moment, not from now: the same seed then
# gives the same catalogue on any day.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

EXTRA_SECTORS = [
    ("agriculture", "Agriculture and food", "农业与食品"),
    ("transport", "Transport and mobility", "交通与出行"),
    ("energy", "Energy and climate", "能源与气候"),
    ("public-safety", "Public safety and disaster relief", "公共安全与救灾"),
    ("finance", "Financial inclusion", "普惠金融"),
    ("justice", "Justice and rights", "司法与权利"),
]

# Sixty countries, the first ones far more often (as in the real catalogue, where China leads).
COUNTRIES = (
    "CN US IN GB KE NG BR ZA DE FR JP KR ID PK BD ET UG TZ GH RW MX CO PE AR CL EG MA TN SN CI "
    "CM ZW ZM MW MZ NP LK PH VN TH MY SG AU NZ CA IT ES NL SE NO FI DK PL TR IR SA AE JO LB UA"
).split()

# --- Word lists. Each is sampled with weights 1/(rank + HEAD), so its first words are common
# and its tail rare (HEAD keeps the very first from appearing in most summaries). Measured over
# 5,000 generated cases: ~280 words each match 1-10 % of cases, ~1,600 (mostly place and brand
# names and the lists' tails) fewer, and the sentence frames' own words 25-35 %.
HEAD = 4
GROUPS = (
    "children pupils teenagers toddlers families parents caregivers girls infants refugees "
    "farmers patients nurses teachers volunteers migrants orphans athletes musicians readers "
    "librarians fishermen herders artisans midwives pharmacists coaches tutors foresters "
    "rangers"
).split()
SETTINGS = (
    "schools villages clinics hospitals classrooms libraries museums kindergartens "
    "neighbourhoods islands mountains deserts wetlands forests coasts townships provinces "
    "districts camps markets farms parks orphanages stadiums harbours valleys plateaus "
    "grasslands reserves monasteries"
).split()
TOPICS = (
    "literacy nutrition vaccination hearing eyesight reading mathematics music poetry "
    "calligraphy history heritage wildlife leopards elephants pandas coral mangroves rivers "
    "groundwater rainfall drought floods earthquakes wildfires pollution recycling traffic "
    "bullying loneliness anxiety sleep obesity asthma malaria tuberculosis dental autism "
    "dyslexia stuttering epilepsy anaemia pneumonia diarrhoea vision speech language sign "
    "braille dance painting sculpture weaving embroidery pottery chess football swimming "
    "cycling gardening cooking astronomy robotics coding chemistry biology geography "
    "archaeology folklore opera puppetry theatre photography cinema journalism debate "
    "citizenship savings microcredit insurance employment apprenticeships migration "
    "homelessness trafficking abuse neglect adoption fostering disability rehabilitation "
    "prosthetics wheelchairs crutches glasses vaccines antibiotics midwifery breastfeeding "
    "hygiene sanitation cholera dengue measles polio rabies snakebite"
).split()
OBJECTS = (
    "tablets chatbots cameras drones sensors satellites wristbands smartphones robots "
    "headsets speakers microphones dashboards maps apps kiosks games quizzes avatars "
    "textbooks storybooks flashcards puzzles subtitles captions translations transcripts "
    "recordings photographs videos podcasts radios televisions whiteboards projectors "
    "thermometers scales stethoscopes microscopes telescopes printers scanners barcodes "
    "beacons lockers buses bicycles boats tractors"
).split()
ADJECTIVES = (
    "rural remote local national regional multilingual affordable open portable offline "
    "inclusive accessible early personalised adaptive interactive playful gentle secure "
    "trusted low-cost solar mobile handheld wearable voice-based community-led "
    "evidence-based bilingual indigenous coastal urban nomadic seasonal"
).split()
VERBS = (
    "detects predicts tracks recommends translates reads teaches screens monitors maps "
    "guides coaches alerts measures counts identifies transcribes summarises protects "
    "connects"
).split()
OUTCOMES = (
    "attendance enrolment completion retention confidence wellbeing safety survival "
    "resilience participation independence curiosity creativity empathy friendship "
    "trust dignity recovery growth punctuality"
).split()
PLACES = (
    "Yunnan Guizhou Sichuan Gansu Qinghai Xinjiang Tibet Hainan Fujian Shaanxi Nairobi Kisumu "
    "Mombasa Lagos Kano Ibadan Accra Kumasi Kigali Kampala Gulu Dodoma Arusha Lusaka Harare "
    "Lilongwe Maputo Dakar Abidjan Bamako Niamey Douala Addis Dhaka Sylhet Khulna Karachi Lahore "
    "Kathmandu Pokhara Colombo Kandy Chennai Pune Jaipur Lucknow Patna Bhopal Assam Kerala "
    "Odisha Manila Cebu Davao Hanoi Hue Jakarta Surabaya Medan Bandung Yogyakarta Bangkok "
    "Chiang Penang Sabah Sarawak Lima Cusco Quito Bogota Medellin Recife Manaus Belem Oaxaca "
    "Chiapas Yucatan Tegucigalpa Managua Guatemala Kingston Haiti Andes Amazon Sahel Mekong "
    "Danube Balkans Anatolia Kurdistan Amman Beirut Aleppo Sanaa Kabul Herat Bishkek Osh"
).split()
BRAND_SYLLABLES = ("lu mi ko ra ti na zo be ka le vo su pi da re xo ha yu fe ni mo ta qi wen jia bao").split()
ORGANISATION_ENDINGS = {
    Organisation.Kind.COMPANY: ["Technologies", "Labs", "Systems", "Robotics", "Software", "Digital"],
    Organisation.Kind.FOUNDATION: ["Foundation", "Trust", "Fund"],
    Organisation.Kind.RESEARCH: ["Institute", "University", "Research Centre", "Academy"],
    Organisation.Kind.NGO: ["Alliance", "Network", "Initiative", "Collective"],
    Organisation.Kind.GOVERNMENT: ["Agency", "Bureau", "Council", "Authority"],
    Organisation.Kind.UN_AGENCY: ["Programme Office", "Country Office"],
}
ORGANISATION_KIND_WEIGHTS = [50, 12, 15, 15, 6, 2]

SENTENCES = [
    "The {adj} programme {verb} {topic} among {group} in {setting} using {tech}.",
    "{Group} and {group2} use {adj} {object} to learn about {topic} and {topic2}.",
    "Since its launch it has reached {number} {group} across {number2} {setting}.",
    "Its {object} work offline, so {group} in {adj} {setting} can use them without a network.",
    "A model trained on local {topic} data {verb} early signs and alerts {group2}.",
    "Teachers report better {outcome} and {outcome2} after one term of use.",
    "The team worked with {group} to design {object} that respect their privacy.",
    "Data stay on the device, and parents decide what is shared with {group2}.",
    "Partners in {setting} adapted the {object} for {topic} lessons in {number2} languages.",
    "An evaluation with {number} {group} found gains in {outcome} and fewer missed days.",
    "It also {verb} {topic} so that {group2} can act before problems grow.",
    "The {adj} {object} explain each suggestion in plain words for {group}.",
    "Volunteers in {setting} collect {topic} records that train the {tech} models.",
    "Open {object} let other {setting} reuse the approach for {topic2}.",
    "Children help test each release, and their feedback shapes the {object}.",
    "The service is free for {group} and runs on {adj} {object} in {setting}.",
    "Pilots began in {place} and {place2}, where {group} lacked {topic} support.",
    "Field staff in {place} share {topic} lessons with {group} every week.",
    "The first cohort came from {place}; the next will follow in {place2}.",
    "Local health workers {verb} {topic} cases and refer {group} to {setting}.",
    "A companion app for {group2} {verb} progress on {topic2} at home.",
    "Funding covers {number} {object} and training for {group} in {place}.",
    "Results are published each year with the {setting} that took part.",
    "Researchers measured {outcome} over two years and shared the method.",
]
TITLES = [
    "{Brand}: {adj} {topic} for {group}",
    "{Tech} for {topic} in {setting}",
    "{Brand} {object} for {topic}",
    "{Adj} {topic} {object} for {group} in {setting}",
    "Helping {group} with {topic}: {brand}",
    "{Brand} {topic} and {topic2} programme",
    "{Tech} that {verb} {topic}",
]
CHINESE_TOPICS = (
    "阅读 营养 疫苗 听力 视力 数学 音乐 书法 文化遗产 野生动物 雪豹 大熊猫 湿地 干旱 洪水 "
    "地震 心理健康 睡眠 自闭症 手语 盲文 舞蹈 绘画 编程 天文 象棋 足球 游泳"
).split()
CHINESE_GROUPS = "儿童 学生 青少年 家长 教师 乡村儿童 留守儿童 听障儿童 视障儿童 农民 护士 志愿者".split()
CHINESE_SETTINGS = "学校 乡村 医院 图书馆 博物馆 幼儿园 社区 山区 草原 海岛".split()
CHINESE_SENTENCES = [
    "该项目利用{tech}为{setting}的{group}提供{topic}服务。",
    "{group}可以通过手机学习{topic}和{topic2}。",
    "项目已覆盖{number}所{setting}，惠及{number2}名{group}。",
    "系统在本地处理数据，保护{group}的隐私。",
    "教师反映，{group}对{topic}的兴趣明显提高。",
]


def zipf_weights(n, head=HEAD):
    """Cumulative weights 1/(rank + head) for `n` items, for random.choices(cum_weights=…)."""
    return list(itertools.accumulate(1 / (rank + head) for rank in range(1, n + 1)))


class WordList:
    """Words drawn with a Zipf-like skew: the first ones common, the tail rare."""

    def __init__(self, words):
        self.words = list(words)
        self.cum_weights = zipf_weights(len(self.words))

    def pick(self, rng):
        return rng.choices(self.words, cum_weights=self.cum_weights)[0]

    def sample(self, rng, k):
        """`k` distinct items (fewer if the list is shorter)."""
        k = min(k, len(self.words))
        chosen = []
        while len(chosen) < k:
            item = self.pick(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


class Vocabulary:
    """What the generator draws from, keyed by slug so that a seed gives the same catalogue
    whatever primary keys the database handed out."""

    def __init__(self):
        self.sectors = dict(Sector.objects.order_by("slug").values_list("slug", "pk"))
        self.technologies = {
            slug: (pk, name, name_zh or "")
            for slug, pk, name, name_zh in Technology.objects.order_by("slug").values_list(
                "slug", "pk", "name", "name_zh_hans"
            )
        }
        self.requirements = dict(Requirement.objects.order_by("number").values_list("number", "pk"))
        self.beneficiary_groups = dict(BeneficiaryGroup.objects.order_by("slug").values_list("slug", "pk"))
        self.tasks = dict(Task.objects.order_by("slug").values_list("slug", "pk"))
        if not (self.sectors and self.technologies and self.requirements):
            raise SyntheticError(
                "The shipped vocabularies are missing: run `manage.py load_catalogue` first."
            )


class SyntheticError(Exception):
    """The synthetic catalogue cannot be generated as asked."""


def progress(message, stream=None):
    stream = stream or sys.stderr
    stream.write(message + "\n")
    stream.flush()


# --- Selecting what the generator made ----------------------------------------------------------


def synthetic_initiatives():
    return Initiative.objects.filter(slug__startswith=PREFIX, citations__source__slug=SOURCE_SLUG)


def synthetic_organisations():
    return Organisation.objects.filter(slug__startswith=PREFIX, description=MARKER)


def synthetic_sectors():
    return Sector.objects.filter(slug__startswith=PREFIX, description=MARKER)


# --- Generating ------------------------------------------------------------------------------------


def generate(initiatives, seed, *, stream=None):
    """Add `initiatives` synthetic published initiatives (and ≈ initiatives/10 organisations),
    the same for the same seed; returns the number of organisations made. One transaction:
    a failed run leaves nothing behind."""
    rng = random.Random(seed)  # noqa: S311 (repeatable test data, not secrets)
    tools = random.Random(f"{seed}-tools")  # noqa: S311 (as above)
    started = time.monotonic()
    with transaction.atomic():
        if synthetic_initiatives().exists():
            raise SyntheticError(
                "The database already holds a synthetic catalogue: purge it first (--purge)."
            )
        ensure_sectors()
        source = ensure_source()
        vocabulary = Vocabulary()
        organisations = make_organisations(rng, max(1, initiatives // 10))
        leads = WordList(organisations)
        # Which organisations lead often is a matter of chance, not of their creation order.
        rng.shuffle(leads.words)
        made = 0
        triggers_deferred = defer_database_triggers()
        for start in range(0, initiatives, BATCH):
            rows = [
                {**plan_initiative(rng, number, vocabulary, leads), "tool": plan_tool(tools, vocabulary)}
                for number in range(start + 1, min(start + BATCH, initiatives) + 1)
            ]
            write_batch(rows, source)
            made += len(rows)
            rate = made / max(time.monotonic() - started, 1e-6)
            progress(f"generate_synthetic: {made}/{initiatives} initiatives ({rate:.0f}/s)", stream)
        if triggers_deferred:
            progress("generate_synthetic: facet keys and related tags of every new initiative", stream)
            run_deferred_database_triggers()
        # bulk_create sent no signals: readers' caches and ETags learn of the change here.
        revisions.record_change()
    analyze()
    return len(organisations)


def defer_database_triggers():
    """On PostgreSQL, skip the database's own triggers for the rest of this transaction; True
    if they are skipped (then run_deferred_database_triggers() must follow).

    Those triggers (migrations 0012, 0022, 0024, 0033) keep each initiative's facet keys, their
    totals and its related tags as its rows are written, once per statement. A batch writes
    its initiatives and their related rows in nine statements, so each new initiative's keys
    were rewritten several times and the totals' rows once per statement, all in one
    transaction whose dead row versions each later statement walked again: 1,000,000
    initiatives took 84-96 minutes, the rate falling from ~570 to ~140 a second. Skipped, they
    run once over every new initiative at the end: 31 minutes, the rate steady at ~640 a
    second (with migration 0045, whose refresh functions no longer compare each row with every
    id).

    `session_replication_role = replica` skips triggers without locking any table (the site can
    go on reading); it also skips foreign-key checks, which the generator's own ids satisfy.
    Setting it needs a superuser (or `GRANT SET ON PARAMETER`); without that the triggers run
    as before."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def run_deferred_database_triggers():
    """What the skipped triggers would have done, once over every synthetic initiative: their
    related tags and facet keys (the keys' insert runs the totals' trigger, once)."""
    ids, params = synthetic_initiatives().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
        for refresh in ["catalogue_refresh_related_tags", "catalogue_refresh_facet_keys"]:
            cursor.execute(f"SELECT {refresh}(ARRAY({ids}))", params)


def ensure_sectors():
    """Synthetic sectors up to SECTORS_WANTED, as the issue's measurement has 12."""
    missing = SECTORS_WANTED - Sector.objects.count()
    for slug, name, name_zh in EXTRA_SECTORS[: max(missing, 0)]:
        Sector.objects.get_or_create(
            slug=PREFIX + slug,
            defaults={"name": name, "name_zh": name_zh, "description": MARKER, "position": 200},
        )


def ensure_source():
    source, _ = Source.objects.get_or_create(
        slug=SOURCE_SLUG,
        defaults={"title": SOURCE_TITLE, "kind": Source.Kind.OTHER, "description": MARKER},
    )
    return source


def brand(rng):
    return "".join(rng.choice(BRAND_SYLLABLES) for _ in range(rng.choice([2, 2, 3]))).capitalize()


def make_organisations(rng, count):
    kinds = list(ORGANISATION_ENDINGS)
    records = []
    for number in range(1, count + 1):
        kind = rng.choices(kinds, weights=ORGANISATION_KIND_WEIGHTS)[0]
        name = f"{brand(rng)} {rng.choice(ORGANISATION_ENDINGS[kind])}"
        records.append(
            Organisation(
                slug=f"{PREFIX}{number:07d}-{slugify(name)}"[:100],
                name=name,
                kind=kind,
                country=rng.choices(COUNTRIES, cum_weights=COUNTRY_WEIGHTS)[0],
                description=MARKER,
            )
        )
    for start in range(0, count, BATCH):
        Organisation.objects.bulk_create(records[start : start + BATCH])
    return [record.pk for record in records]


COUNTRY_WEIGHTS = zipf_weights(len(COUNTRIES), head=0)
WORDS = {
    "group": WordList(GROUPS),
    "setting": WordList(SETTINGS),
    "topic": WordList(TOPICS),
    "object": WordList(OBJECTS),
    "adj": WordList(ADJECTIVES),
    "verb": WordList(VERBS),
    "outcome": WordList(OUTCOMES),
    "place": WordList(PLACES),
}
# Slots that draw a second word from the same list.
SECOND = {"topic2": "topic", "group2": "group", "outcome2": "outcome", "place2": "place"}
YEARS = list(range(2005, 2026))
# Recent years far more often, as new projects outnumber old ones.
YEAR_WEIGHTS = [(year - 2004) ** 1.5 for year in YEARS]


def slots(template):
    """The {names} in `template`, each once, in their order: a list, not a set, since fill()
    draws a value for each in turn, and a set's order of strings changes from one process to
    the next (hash randomisation), which gave each run of the same seed another catalogue."""
    return list(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))


# Parsed once: fill() runs a dozen times per initiative, a million initiatives a run.
TEMPLATE_SLOTS = {template: slots(template) for template in [*SENTENCES, *TITLES, *CHINESE_SENTENCES]}
CHINESE_WORDS = {
    "topic": CHINESE_TOPICS,
    "topic2": CHINESE_TOPICS,
    "group": CHINESE_GROUPS,
    "setting": CHINESE_SETTINGS,
}


def fill(template, rng, technology, brand_name, chinese=False):
    """`template` with each {slot} drawn afresh ({Slot}: capitalised)."""
    values = {}
    for slot in TEMPLATE_SLOTS.get(template) or slots(template):
        name = slot.lower()
        if name == "tech":
            value = (technology[2] or technology[1]) if chinese else technology[1]
        elif name == "brand":
            value = brand_name
        elif name == "number":
            value = rng.choice([12, 40, 150, 300, 1200, 5000, 20000])
        elif name == "number2":
            value = rng.randint(2, 90)
        elif chinese:
            value = rng.choice(CHINESE_WORDS[name])
        else:
            value = WORDS[SECOND.get(name, name)].pick(rng)
        if slot != name:
            value = value[:1].upper() + value[1:]
        values[slot] = value
    return template.format(**values)


def plan_initiative(rng, number, vocabulary, leads):
    """One initiative and the slugs/ids of what it relates to, as plain data."""
    technology_slugs = rng.sample(sorted(vocabulary.technologies), rng.choice([1, 1, 2, 2, 3]))
    main = vocabulary.technologies[technology_slugs[0]]
    brand_name = brand(rng)
    title = fill(rng.choice(TITLES), rng, main, brand_name)
    sentences = []
    while sum(len(sentence.split()) for sentence in sentences) < 78:
        sentences.append(fill(rng.choice(SENTENCES), rng, main, brand_name))
    chinese = rng.random() < 0.2
    start_year = rng.choices(YEARS, weights=YEAR_WEIGHTS)[0]
    earliest = datetime(max(start_year, 2015), 1, 1, tzinfo=UTC)
    published_at = EPOCH - timedelta(seconds=rng.randrange(int((EPOCH - earliest).total_seconds())))
    lead = leads.pick(rng)
    wanted = rng.choice([0, 0, 1, 1, 2])
    # One more than wanted, in case the lead is among them.
    partners = [pk for pk in leads.sample(rng, wanted + 1) if pk != lead][:wanted]
    return {
        "initiative": Initiative(
            slug=f"{PREFIX}{number:07d}-{slugify(title)}"[:120].rstrip("-"),
            title=title[:250],
            title_zh=fill("{tech}{topic}项目", rng, main, brand_name, chinese=True) if chinese else "",
            summary=" ".join(sentences),
            summary_zh=(
                "".join(
                    fill(rng.choice(CHINESE_SENTENCES), rng, main, brand_name, chinese=True) for _ in range(3)
                )
                if chinese
                else ""
            ),
            chinese_text_origin=Initiative.ChineseTextOrigin.EDITORIAL if chinese else "",
            lead_organisation_id=lead,
            countries=sample_countries(rng),
            start_year=start_year,
            children_focus=rng.random() < 0.6,
            status=Initiative.Status.PUBLISHED,
            published_at=published_at,
        ),
        "number": number,
        "sectors": [
            vocabulary.sectors[slug] for slug in rng.sample(sorted(vocabulary.sectors), rng.randint(1, 3))
        ],
        "technologies": [vocabulary.technologies[slug][0] for slug in technology_slugs],
        "requirements": [
            vocabulary.requirements[n] for n in rng.sample(sorted(vocabulary.requirements), rng.randint(1, 3))
        ],
        "beneficiary_groups": [
            vocabulary.beneficiary_groups[slug]
            for slug in rng.sample(
                sorted(vocabulary.beneficiary_groups),
                min(rng.randint(1, 2), len(vocabulary.beneficiary_groups)),
            )
        ],
        "partners": partners,
    }


# Tool profiles (issue 14): about one initiative in eight, as the benchmark's facets need a
# realistic share; a deployment and a licence are usually but not always known.
TOOL_SHARE = 0.125
DEPLOYMENT_WEIGHTS = {"": 2, "on-premises": 3, "cloud": 2, "hosted-service": 4}
LICENCE_WEIGHTS = {
    "": 2,
    "open-source": 2,
    "free-of-charge": 2,
    "free-to-eligible-agencies": 4,
    "commercial": 3,
    "other": 1,
}
TOOL_AUDIENCES = [
    "Law enforcement agencies.",
    "Law enforcement and child protection agencies of any UN Member State.",
    "Vetted investigators, on request.",
    "Hotlines and trust-and-safety teams.",
    "Anyone: the code is public.",
]
TOOL_INPUTS = [
    "Seized images and videos.",
    "Reports from online platforms.",
    "Chat logs shared under a warrant.",
    "Case files and their metadata.",
]
TOOL_LANGUAGES = ["English", "English, Arabic", "English, French, Spanish", "Chinese, English", ""]


def plan_tool(rng, vocabulary):
    """A tool profile's fields and task ids for one initiative, or None (most are no tool)."""
    if rng.random() >= TOOL_SHARE:
        return None
    return {
        "fields": {
            "deployment": rng.choices(list(DEPLOYMENT_WEIGHTS), weights=DEPLOYMENT_WEIGHTS.values())[0],
            "licence": rng.choices(list(LICENCE_WEIGHTS), weights=LICENCE_WEIGHTS.values())[0],
            "inputs": rng.choice(TOOL_INPUTS),
            "languages": rng.choice(TOOL_LANGUAGES),
            "available_to": rng.choice(TOOL_AUDIENCES),
        },
        "tasks": [vocabulary.tasks[slug] for slug in rng.sample(sorted(vocabulary.tasks), rng.randint(1, 3))]
        if vocabulary.tasks
        else [],
    }


def sample_countries(rng):
    chosen = {rng.choices(COUNTRIES, cum_weights=COUNTRY_WEIGHTS)[0] for _ in range(rng.choice([1, 1, 1, 2]))}
    return sorted(chosen)


def write_batch(rows, source):
    initiatives = Initiative.objects.bulk_create([row["initiative"] for row in rows])
    for relation, target in [
        ("sectors", "sector"),
        ("technologies", "technology"),
        ("beneficiary_groups", "beneficiarygroup"),
        ("partners", "organisation"),
    ]:
        through = getattr(Initiative, relation).through
        through.objects.bulk_create(
            [
                through(initiative_id=initiative.pk, **{f"{target}_id": pk})
                for initiative, row in zip(initiatives, rows, strict=True)
                for pk in row[relation]
            ],
            batch_size=5000,
        )
    RequirementAlignment.objects.bulk_create(
        [
            RequirementAlignment(
                initiative_id=initiative.pk,
                requirement_id=pk,
                rationale="Synthetic: chosen at random by generate_synthetic.",
            )
            for initiative, row in zip(initiatives, rows, strict=True)
            for pk in row["requirements"]
        ],
        batch_size=5000,
    )
    Citation.objects.bulk_create(
        [
            Citation(
                initiative_id=initiative.pk,
                source=source,
                location=f"#{row['number']}",
                position=row["number"],
            )
            for initiative, row in zip(initiatives, rows, strict=True)
        ],
        batch_size=5000,
    )
    tools = [
        (initiative, row["tool"]) for initiative, row in zip(initiatives, rows, strict=True) if row["tool"]
    ]
    ToolProfile.objects.bulk_create(
        [ToolProfile(initiative_id=initiative.pk, **tool["fields"]) for initiative, tool in tools],
        batch_size=5000,
    )
    through = ToolProfile.tasks.through
    through.objects.bulk_create(  # a profile's id is its initiative's
        [
            through(toolprofile_id=initiative.pk, task_id=pk)
            for initiative, tool in tools
            for pk in tool["tasks"]
        ],
        batch_size=5000,
    )


def analyze():
    """Give the planner statistics for the new (or vanished) rows, as autovacuum soon would."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Purging ---------------------------------------------------------------------------------------


def purge(*, stream=None):
    """Remove the synthetic catalogue: its initiatives, then the synthetic organisations and
    sectors no remaining initiative refers to, then the source. Returns
    (initiatives, organisations, sectors) removed. Real records are never selected: each
    selection needs both the `synthetic-` slug and the generator's mark.

    Raw deletes, in chunks: deleting through the ORM would send signals, write a history row
    and a tombstone per record, and take hours at a million. No tombstones are written, so a
    client syncing a benchmark database must resync; the revision still moves.
    """
    removed_initiatives = 0
    with transaction.atomic():
        while ids := list(synthetic_initiatives().values_list("pk", flat=True)[:BATCH]):
            delete_initiatives(ids)
            removed_initiatives += len(ids)
            progress(f"generate_synthetic: purged {removed_initiatives} initiatives", stream)
        organisations = synthetic_organisations().filter(
            led_initiatives__isnull=True, partner_initiatives__isnull=True
        )
        removed_organisations = organisations._raw_delete(connection.alias)
        sectors = synthetic_sectors().filter(initiatives__isnull=True)
        removed_sectors = sectors._raw_delete(connection.alias)
        Source.objects.filter(slug=SOURCE_SLUG, citations__isnull=True)._raw_delete(connection.alias)
        if removed_initiatives or removed_organisations or removed_sectors:
            revisions.record_change()
    analyze()
    return removed_initiatives, removed_organisations, removed_sectors


def delete_initiatives(ids):
    """Delete these initiatives and the rows that cascade from them. Rows that protect an
    initiative (a workflow status change) make the whole purge fail and roll back."""
    # What cascades from their tool profiles first: a raw delete does not cascade.
    ToolProfile.tasks.through.objects.filter(toolprofile_id__in=ids)._raw_delete(connection.alias)
    ToolProfile.safeguards.rel.related_model._base_manager.filter(profile_id__in=ids)._raw_delete(
        connection.alias
    )
    for relation in Initiative._meta.get_fields(include_hidden=True):
        if (
            relation.auto_created
            and not relation.concrete
            and getattr(relation, "on_delete", None) is CASCADE
        ):
            relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": ids})._raw_delete(
                connection.alias
            )
    Initiative._base_manager.filter(pk__in=ids)._raw_delete(connection.alias)


# --- Exporting to SQLite for Datasette --------------------------------------------------------------

EXPORT_TABLE = "initiatives"
EXPORT_COLUMNS = """\
initiatives: one row per published initiative (the whole published catalogue, shipped cases
included), with an FTS5 index (porter tokenizer) on title and summary:
  id integer primary key (the initiative's id on the site), slug, title, title_zh, summary,
  summary_zh, start_year integer, published_at (ISO 8601 text), lead_organisation (name),
  partners, sectors, technologies, requirements, countries (JSON arrays of names; country
  names in English, requirements as "N. title"), and a tool's tasks (a JSON array of names,
  `[]` for an initiative that is no tool), deployment and licence (slugs, null for none)."""


def export_sqlite(path, *, stream=None):
    """Write the published catalogue to a new SQLite file at `path` for Datasette (table shape
    in EXPORT_COLUMNS); returns the number of rows."""
    import sqlite_utils  # a development dependency: only this export needs it

    database = sqlite_utils.Database(path, recreate=True)
    table = database[EXPORT_TABLE]
    table.create(
        {
            "id": int,
            "slug": str,
            "title": str,
            "title_zh": str,
            "summary": str,
            "summary_zh": str,
            "start_year": int,
            "published_at": str,
            "lead_organisation": str,
            "partners": str,
            "sectors": str,
            "technologies": str,
            "requirements": str,
            "countries": str,
            "tasks": str,
            "deployment": str,
            "licence": str,
        },
        pk="id",
    )
    written = 0
    for rows in export_rows():
        table.insert_all(rows)
        written += len(rows)
        progress(f"generate_synthetic: exported {written} initiatives", stream)
    table.enable_fts(["title", "summary"], tokenize="porter")
    for column in ["start_year", "published_at", "lead_organisation", "deployment", "licence"]:
        table.create_index([column])
    database.analyze()
    database.close()
    return written


def export_rows():
    """The export's rows, a batch at a time (lists of dicts)."""
    with translation.override("en"):
        country_names = dict(all_countries)
    organisations = dict(Organisation.objects.values_list("pk", "name"))
    names = {
        "sectors": dict(Sector.objects.values_list("pk", "name")),
        "technologies": dict(Technology.objects.values_list("pk", "name")),
        "partners": organisations,
        "tasks": dict(Task.objects.values_list("pk", "name")),
    }
    requirements = {
        pk: f"{number}. {title}"
        for pk, number, title in Requirement.objects.values_list("pk", "number", "title")
    }
    fields = [
        "pk",
        "slug",
        "title",
        "title_zh",
        "summary",
        "summary_zh",
        "start_year",
        "published_at",
        "lead_organisation",
        "countries",
    ]
    ids = list(Initiative.objects.published().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        related = {name: {} for name in [*names, "requirements"]}
        for relation, target in [
            ("sectors", "sector"),
            ("technologies", "technology"),
            ("partners", "organisation"),
        ]:
            through = getattr(Initiative, relation).through
            for initiative, pk in through.objects.filter(initiative__in=chunk).values_list(
                "initiative", f"{target}_id"
            ):
                related[relation].setdefault(initiative, []).append(names[relation][pk])
        for initiative, pk in RequirementAlignment.objects.filter(initiative__in=chunk).values_list(
            "initiative", "requirement"
        ):
            related["requirements"].setdefault(initiative, []).append(requirements[pk])
        # A profile's id is its initiative's.
        for initiative, pk in ToolProfile.tasks.through.objects.filter(toolprofile__in=chunk).values_list(
            "toolprofile", "task"
        ):
            related["tasks"].setdefault(initiative, []).append(names["tasks"][pk])
        tools = {
            initiative: {"deployment": deployment or None, "licence": licence or None}
            for initiative, deployment, licence in ToolProfile.objects.filter(
                initiative__in=chunk
            ).values_list("initiative", "deployment", "licence")
        }
        rows = []
        columns = [
            {"title_zh": "title_zh_hans", "summary_zh": "summary_zh_hans"}.get(name, name) for name in fields
        ]
        for values in Initiative.objects.filter(pk__in=chunk).order_by("pk").values_list(*columns):
            row = {
                name: "" if value is None and name.endswith("_zh") else value
                for name, value in zip(fields, values, strict=True)
            }
            pk = row.pop("pk")
            rows.append(
                {
                    "id": pk,
                    **row,
                    "published_at": row["published_at"].isoformat() if row["published_at"] else None,
                    "lead_organisation": organisations.get(row["lead_organisation"]),
                    # values_list() gives the stored text ("CN,US"), not the field's list.
                    "countries": json.dumps(
                        [
                            country_names.get(code, code)
                            for code in (row["countries"] or "").split(",")
                            if code
                        ]
                    ),
                    **{name: json.dumps(sorted(related[name].get(pk, []))) for name in related},
                    **tools.get(pk, {"deployment": None, "licence": None}),
                }
            )
        yield rows
