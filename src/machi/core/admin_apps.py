from django.contrib.admin.apps import AdminConfig


class MachiAdminConfig(AdminConfig):
    """The Django admin with machi's site (TOTP required, tenant-scoped)."""

    default_site = "machi.core.admin_site.MachiAdminSite"
