"""manage.py opendata_generate [--municipality CODE] [--generator KEY]

Bring the generated datasets (オープンデータ一覧, DX plan KPIs, and those other apps
register) up to date now, and print what changed. The same work runs daily from Celery
beat. A new resource version is added only when a file's content changed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from machi.core.japanese.normalize import nfkc
from machi.core.models import Municipality
from machi.opendata.generators import registry
from machi.opendata.generators.publishing import (
    SKIP_EMPTY,
    SKIP_NO_DEPARTMENT,
    SKIP_WITHDRAWN,
    PublishResult,
    generated_publish_many,
)


def _reason(code: str) -> str:
    return {
        SKIP_WITHDRAWN: _("staff have withdrawn the dataset, so it is left alone"),
        SKIP_EMPTY: _("nothing to publish yet"),
        SKIP_NO_DEPARTMENT: _("the municipality has no department to publish it"),
    }.get(code, code)


def describe(result: PublishResult) -> str:
    where = f"{result.municipality} {result.generator}"
    if result.error:
        return _("%(where)s: failed, nothing was published: %(error)s") % {
            "where": where,
            "error": result.error,
        }
    if result.skipped:
        return _("%(where)s: skipped, %(reason)s.") % {
            "where": where,
            "reason": _reason(result.skipped),
        }
    if result.created:
        parts = [_("dataset %(name)s created") % {"name": result.dataset}]
    else:
        parts = [_("dataset %(name)s") % {"name": result.dataset}]
    for outcome in result.resources:
        if outcome.version is None:
            parts.append(_("%(resource)s unchanged") % {"resource": outcome.key})
        else:
            parts.append(
                _("%(resource)s new version %(number)s")
                % {"resource": outcome.key, "number": outcome.version}
            )
    return f"{where}: " + ", ".join(parts)


class Command(BaseCommand):
    help = "Publish machi's generated open datasets now; a version is added only on change."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--municipality", help="全国地方公共団体コード (6 digits); default: every active one"
        )
        parser.add_argument(
            "--generator", action="append", help="generator key (repeatable); default: all"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipalities = None
        if options["municipality"]:
            code = nfkc(options["municipality"]).strip()
            found = Municipality.objects.filter(code=code).first()
            if found is None:
                raise CommandError(
                    _("No municipality has the code %(code)s. Give the 6-digit code.")
                    % {"code": code}
                )
            municipalities = [found]
        keys = options["generator"]
        if keys:
            known = [g.key for g in registry.generators()]
            unknown = [k for k in keys if k not in known]
            if unknown:
                raise CommandError(
                    _("No generator is registered as %(keys)s. Known generators: %(known)s.")
                    % {"keys": ", ".join(unknown), "known": ", ".join(known)}
                )
        results = generated_publish_many(municipalities=municipalities, keys=keys)
        for result in results:
            line = describe(result)
            if result.error:
                self.stderr.write(self.style.ERROR(line))
            elif result.changed:
                self.stdout.write(self.style.SUCCESS(line))
            else:
                self.stdout.write(line)
        changed = sum(1 for r in results if r.changed)
        self.stdout.write(
            _("%(changed)s of %(total)s generated datasets changed.")
            % {"changed": changed, "total": len(results)}
        )
        failed = sum(1 for r in results if r.error)
        if failed:
            raise CommandError(
                _("%(failed)s generator run(s) failed; their datasets were left as they were.")
                % {"failed": failed}
            )
