"""The first community. Its description quotes the UNICRI news item on the AI for Safer
Children initiative (fixtures/seeds/004_9c970acede7331ad.txt, paragraph 3, and paragraph 3's
last sentence for whom the Global Hub is to serve); nothing else is claimed."""

from django.db import migrations

SLUG = "law-enforcement-and-child-protection-practitioners"

DESCRIPTION = (
    "The AI for Safer Children initiative of UNICRI and the Ministry of Interior of the United "
    "Arab Emirates plans a web platform, the AI for Safer Children Global Hub, “designed to "
    "support law enforcement to tap into the potential of AI to combat online child sexual "
    "exploitation by providing them with tailored information on a range of existing AI tools "
    "and promoting communication, networking and sharing of experiences among them”. This "
    "community is where practitioners countering “a wide range of forms of violence, "
    "exploitation and abuse against children online” share that information and experience."
)

WHO_MAY_JOIN = (
    "Law enforcement and related authorities working against violence, exploitation and abuse "
    "of children online. The Global Hub is to “serve law enforcement agencies from all UN "
    "Member States”. Editors vet each application before it is approved."
)

SOURCE = (
    "UNICRI news item on the first Stakeholder Meeting of the AI for Safer Children initiative "
    "(fixtures/seeds/004_9c970acede7331ad.txt, paragraph 3)"
)


def create(apps, schema_editor):
    Community = apps.get_model("hub", "Community")
    Community.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Law enforcement and child protection practitioners",
            "description": DESCRIPTION,
            "who_may_join": WHO_MAY_JOIN,
            "source": SOURCE,
        },
    )


def remove(apps, schema_editor):
    apps.get_model("hub", "Community").objects.filter(slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
