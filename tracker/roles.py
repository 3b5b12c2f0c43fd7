"""The three roles and the permissions each holds; applied by a data migration and by seed_demo."""

from django.apps import apps as current_apps

ANALYST = "Analyst"
SUPERVISOR = "Supervisor"
ADMINISTRATOR = "Administrator"
ROLES = (ANALYST, SUPERVISOR, ADMINISTRATOR)

_ANALYST_PERMS = [
    "accounts.view_platform",
    "accounts.view_proscribedgroup",
    "accounts.view_groupalias",
    "accounts.view_designation",
    "accounts.view_designationimport",
    "accounts.view_tag",
    "accounts.add_tag",
    "accounts.view_flaggedaccount",
    "accounts.add_flaggedaccount",
    "accounts.change_flaggedaccount",
    "accounts.view_evidence",
    "accounts.add_evidence",
    "accounts.view_mirrorcandidate",
    "takedowns.view_platformdeadline",
    "takedowns.view_takedownrequest",
    "takedowns.add_takedownrequest",
    "takedowns.change_takedownrequest",
    "takedowns.view_takedownitem",
    "takedowns.view_takedownevent",
]
_SUPERVISOR_PERMS = [
    *_ANALYST_PERMS,
    "accounts.change_mirrorcandidate",
    "accounts.view_groupmatchreview",
    "accounts.change_groupmatchreview",
    "takedowns.approve_takedownrequest",
    "takedowns.submit_takedownrequest",
    "takedowns.manage_takedownrequest",
    "takedowns.change_takedownitem",
    "takedowns.view_disclosure",
    "takedowns.add_disclosure",
    "takedowns.read_disclosure",
    "takedowns.view_webhooksubscription",
    "tracker.view_compliancereport",
    "tracker.add_compliancereport",
]
# Administrators get every permission of these apps on top of the supervisor's.
# axes: unlocking (deleting access attempts); otp_totp/otp_static: resetting a lost device.
_ADMIN_APPS = (
    "accounts",
    "takedowns",
    "sharing",
    "tracker",
    "django_celery_beat",
    "auth",
    "axes",
    "otp_totp",
    "otp_static",
)

ROLE_PERMISSIONS = {ANALYST: _ANALYST_PERMS, SUPERVISOR: _SUPERVISOR_PERMS}


def _model_exists(permission_model, app_label: str, codename: str) -> bool:
    """Whether a default permission's model exists in the registry the migration runs with
    (a role lists permissions of models created by later migrations)."""
    registry = permission_model._meta.apps
    model_name = codename.split("_", 1)[1]
    try:
        registry.get_model(app_label, model_name)
    except LookupError:
        # Not a model's name (a custom permission such as approve_takedownrequest), or a model
        # not yet created: only the latter is skipped.
        return not any(m._meta.model_name == model_name for m in current_apps.get_models())
    return True


def sync_roles(group_model, permission_model) -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""

    def perms(codes):
        found = []
        for code in codes:
            app_label, codename = code.split(".")
            if not _model_exists(permission_model, app_label, codename):
                continue  # an earlier migration: the model's own migration adds it later
            found.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return found

    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(perms(codes))
    admin, _ = group_model.objects.get_or_create(name=ADMINISTRATOR)
    admin.permissions.set(
        [
            *perms(_SUPERVISOR_PERMS),
            *permission_model.objects.filter(content_type__app_label__in=_ADMIN_APPS),
        ]
    )


def sync_roles_in_migration(apps, schema_editor) -> None:
    """sync_roles from a data migration, creating the permissions first (Django normally
    creates them only after all migrations ran)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
