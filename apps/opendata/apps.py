import json

from django.apps import AppConfig
from django.db.models.fields import json as json_fields
from django.utils.translation import gettext_lazy as _


def compile_json_path(key_transforms, include_root=True):
    """Django's JSON path, with keys written as they are: Django writes 구분 as "\\uad6c\\ubd84",
    which SQLite 3.40 (Debian 12) does not decode inside a path, so every lookup on a Korean column
    name found nothing. PostgreSQL does not use paths for these lookups."""
    path = ["$"] if include_root else []
    for key in key_transforms:
        try:
            path.append(f"[{int(key)}]")
        except ValueError:
            path.append("." + json.dumps(key, ensure_ascii=False))
    return "".join(path)


class OpenDataConfig(AppConfig):
    name = "apps.opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        json_fields.compile_json_path = compile_json_path
        from apps.opendata import trails_dataset  # noqa: F401 - connects its receivers
