"""The three roles and the permissions each holds; applied by a data migration and by seed_demo."""

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
]
# Administrators get every permission of these apps on top of the supervisor's.
# axes: unlocking (deleting access attempts); otp_totp/otp_static: resetting a lost device.
_ADMIN_APPS = (
    "accounts",
    "takedowns",
    "tracker",
    "django_celery_beat",
    "auth",
    "axes",
    "otp_totp",
    "otp_static",
)

ROLE_PERMISSIONS = {ANALYST: _ANALYST_PERMS, SUPERVISOR: _SUPERVISOR_PERMS}


def sync_roles(group_model, permission_model) -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""

    def perms(codes):
        found = []
        for code in codes:
            app_label, codename = code.split(".")
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
