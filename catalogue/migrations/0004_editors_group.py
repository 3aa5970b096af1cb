"""Create the `Editors` group with the permissions to review submissions and edit the
catalogue, so that a fresh install has it (add an account to it in the admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"

# (model, actions): review_initiative is the custom permission the review pages check.
PERMISSIONS = {
    "initiative": ["view", "change", "review"],
    "statuschange": ["view"],
    "organisation": ["view", "add", "change"],
    "proposedorganisation": ["view", "change"],
    "submittedsource": ["view", "change"],
    "partnerprofile": ["view", "change"],
    "keyfigure": ["view", "add", "change", "delete"],
    "requirementalignment": ["view", "add", "change", "delete"],
    "citation": ["view", "add", "change", "delete"],
    "source": ["view", "add", "change"],
    "sector": ["view"],
    "technology": ["view"],
    "beneficiarygroup": ["view"],
    "requirement": ["view"],
}


def codename(model, action):
    return "review_initiative" if action == "review" else f"{action}_{model}"


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run (post_migrate); create
    # them now so the group can be given them on a fresh database.
    catalogue = apps.get_app_config("catalogue")
    catalogue.models_module = True
    create_permissions(catalogue, apps=apps, verbosity=0)
    catalogue.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    wanted = [codename(model, action) for model, actions in PERMISSIONS.items() for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="catalogue", codename__in=wanted))


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0003_submissions"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
