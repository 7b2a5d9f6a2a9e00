"""Load the 亀山市 demo open data catalog (part of ``load_demo``).

Everything goes through the catalog services with ``actor=None`` (machi itself), so the
audit log records it. Safe to run twice: groups are upserted, datasets and resources are
found by name and only changed where the demo catalog differs, and a file is uploaded
only if no version of the resource has its content yet. The second run writes nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from machi.core.demo.data import KAMEYAMA
from machi.core.models import Department, Municipality
from machi.opendata.demo.catalog import (
    DATASETS,
    GROUPS,
    SPATIAL,
    DemoDataset,
    DemoResource,
    read_data_file,
)
from machi.opendata.models import Dataset, DatasetGroup, DatasetState, Resource
from machi.opendata.services.catalog import (
    dataset_create,
    dataset_set_state,
    dataset_update,
    group_upsert,
)
from machi.opendata.services.resources import (
    resource_create,
    resource_update,
    version_check,
    version_publish_now,
    version_upload,
)


class Command(BaseCommand):
    help = "Load the 亀山市 demo open data catalog: groups, datasets and files (safe to run twice)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--municipality",
            default=KAMEYAMA["code"],
            help="全国地方公共団体コード of the tenant (default: the 亀山市 demo tenant).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        city = Municipality.objects.filter(code=options["municipality"]).first()
        if city is None:
            raise CommandError(
                f"No municipality {options['municipality']}: run `manage.py load_demo` first."
            )
        departments = {d.code: d for d in Department.objects.filter(municipality=city)}
        groups = {
            spec.name: group_upsert(
                municipality=city,
                name=spec.name,
                title=spec.title,
                title_en=spec.title_en,
                description=spec.description,
            )
            for spec in GROUPS
        }
        added = 0
        for spec in DATASETS:
            dataset = self._dataset(city, spec, departments, groups)
            if dataset is None:
                continue
            for resource_spec in spec.resources:
                added += self._resource(dataset, resource_spec)
            dataset_set_state(actor=None, dataset=dataset, state=DatasetState.ACTIVE)
        generated = self._generate()
        self.stdout.write(
            f"Open data demo: {len(DATASETS)} datasets, {added} new file versions"
            + (f", {generated} generated datasets updated." if generated is not None else ".")
        )

    def _dataset(
        self,
        city: Municipality,
        spec: DemoDataset,
        departments: dict[str, Department],
        groups: dict[str, DatasetGroup],
    ) -> Dataset | None:
        department = departments.get(spec.department_code)
        if department is None:
            raise CommandError(
                f"{spec.name}: the tenant has no department {spec.department_code}; "
                "run `manage.py load_demo` first."
            )
        fields: dict[str, Any] = {
            "title_en": spec.title_en,
            "notes": spec.description,
            "tags": list(spec.tags),
            "license_id": spec.license_id,
            "frequency": spec.frequency,
            "contact_name": spec.contact_name,
            "contact_email": spec.contact_email,
            "contact_phone": spec.contact_phone,
            "spatial": SPATIAL,
            "temporal_start": spec.temporal_start,
            "temporal_end": spec.temporal_end,
        }
        its_groups = [groups[name] for name in spec.groups]
        existing = Dataset.objects.filter(municipality=city, name=spec.name).first()
        if existing is None:
            return dataset_create(
                actor=None,
                municipality=city,
                name=spec.name,
                title=spec.title,
                department=department,
                groups=its_groups,
                is_demo=True,
                **fields,
            )
        if not existing.is_demo:
            self.stderr.write(f"{spec.name}: a real dataset has this name; left alone.")
            return None
        return dataset_update(
            actor=None,
            dataset=existing,
            groups=its_groups,
            title=spec.title,
            department=department,
            **fields,
        )

    def _resource(self, dataset: Dataset, spec: DemoResource) -> int:
        """Create or update the resource and upload the files it lacks; returns how many."""
        resource = Resource.objects.filter(dataset=dataset, name=spec.name).first()
        if resource is None:
            resource = resource_create(
                actor=None,
                dataset=dataset,
                name=spec.name,
                description=spec.description,
                format=spec.format,
                schema_name=spec.schema_name,
            )
        else:
            resource = resource_update(
                actor=None,
                resource=resource,
                description=spec.description,
                format=spec.format,
                schema_name=spec.schema_name,
            )
        added = 0
        for version in spec.versions:
            content = read_data_file(version.source)
            digest = hashlib.sha256(content).hexdigest()
            if resource.versions.filter(sha256=digest).exists():
                continue
            if version.publish:
                version_publish_now(
                    actor=None,
                    resource=resource,
                    filename=spec.filename,
                    content=content,
                    change_note=version.change_note,
                )
            else:
                # Left checked but unpublished, for staff to read the validator's report.
                uploaded = version_upload(
                    actor=None,
                    resource=resource,
                    filename=spec.filename,
                    content=content,
                    change_note=version.change_note,
                )
                version_check(version=uploaded)
            added += 1
        return added

    @staticmethod
    def _generate() -> int | None:
        """Bring machi's own generated datasets (the オープンデータ一覧 …) up to date, so
        they include the demo datasets. ``None`` when the generators are not installed."""
        try:
            from machi.opendata.generators.publishing import generated_publish_all
        except ImportError:
            return None
        result = generated_publish_all()
        return result if isinstance(result, int) else None
