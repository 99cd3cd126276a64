"""The portal's rows as CKAN's dictionaries: packages, resources, organizations, facet items and
DataStore fields."""

from datetime import UTC, datetime

from apps.municipalities.models import Department
from apps.opendata.dcat import MEDIA_TYPES, dataset_page_url, last_modified, resource_downloads
from apps.opendata.models import Category, Dataset, Licence, Resource

OPEN_LICENCES = {Licence.KOGL_1, Licence.CC_BY, Licence.CC_BY_SA, Licence.CC0}
# Table Schema types as the DataStore names them.
DATASTORE_TYPES = {
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
}


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN's timestamps: UTC without an offset."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() if moment else None


def organization_dict(department: Department, *, package_count: int | None = None) -> dict:
    data = {
        "id": department.code,
        "name": department.code,
        "title": department.name_ko,
        "display_name": department.name,
        "title_en": department.name_en,
        "description": department.handles,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def resource_dict(resource: Resource, *, base_url: str) -> dict:
    version = resource.current_version
    downloads = resource_downloads(resource, base_url=base_url)
    tabular = bool(version and version.table_fields)
    return {
        "id": str(resource.pk),
        "package_id": resource.dataset.slug,
        "name": resource.name_ko,
        "name_en": resource.name_en,
        "description": resource.description,
        "format": resource.format,
        "mimetype": MEDIA_TYPES.get(resource.format),
        "url": downloads[0].url if downloads else "",
        "url_type": "upload" if resource.kind == Resource.Kind.FILE else None,
        "resource_type": "api" if resource.kind == Resource.Kind.API else "file",
        "size": version.size if version else None,
        "hash": version.sha256 if version else "",
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(version.published_at or version.created_at) if version else None,
        "datastore_active": tabular,
        "version": version.number if version else None,
        "row_count": version.row_count if tabular else None,
        "download_count": resource.download_count,
        "tracking_summary": {"total": resource.download_count, "recent": resource.download_count},
        "position": resource.sort_order,
        "state": "active",
    }


def package_dict(dataset: Dataset, *, base_url: str) -> dict:
    tags = [keyword.name for keyword in dataset.keywords.all()]
    resources = [resource_dict(resource, base_url=base_url) for resource in dataset.resources.all()]
    category = Category(dataset.category)
    extras = {
        "frequency": dataset.update_cycle,
        "category": dataset.category,
        "spatial_text": dataset.spatial_coverage,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "quality_score": str(dataset.quality_score),
        "title_en": dataset.title_en,
        "notes_en": dataset.description_en,
        "data_updated": ckan_time(dataset.data_updated_at) or "",
        "next_update_due": ckan_time(dataset.next_update_due) or "",
    }
    return {
        "id": dataset.slug,
        "name": dataset.slug,
        "title": dataset.title_ko,
        "title_en": dataset.title_en,
        "notes": dataset.description_ko,
        "notes_en": dataset.description_en,
        "type": "dataset",
        "state": "active",
        "private": False,
        "url": dataset_page_url(dataset, base_url=base_url),
        "owner_org": dataset.department.code,
        "organization": organization_dict(dataset.department),
        "author": dataset.department.name_ko,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "maintainer_phone": dataset.contact_phone or None,
        "license_id": dataset.licence or None,
        "license_title": str(Licence(dataset.licence).label) if dataset.licence else None,
        "license_url": dataset.licence_url or None,
        "isopen": dataset.licence in OPEN_LICENCES,
        "tags": [{"name": tag, "display_name": tag, "state": "active", "vocabulary_id": None} for tag in tags],
        "num_tags": len(tags),
        "groups": [
            {
                "id": category.value,
                "name": category.value,
                "title": str(category.label),
                "display_name": str(category.label),
            }
        ],
        "resources": resources,
        "num_resources": len(resources),
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(last_modified(dataset)),
        "frequency": dataset.update_cycle,
        "quality_score": dataset.quality_score,
        "download_count": dataset.download_count,
        "tracking_summary": {"total": dataset.download_count, "recent": dataset.download_count},
        "extras": [{"key": key, "value": value} for key, value in extras.items() if value],
    }


def facet_display_name(field: str, value: str, departments: dict[str, Department]) -> str:
    if field == "organization" and value in departments:
        return departments[value].name
    if field == "groups" and value in Category.values:
        return str(Category(value).label)
    if field == "license_id" and value in Licence.values:
        return str(Licence(value).label)
    return value


def datastore_field_dict(field: dict) -> dict:
    """A Table Schema field as datastore_search lists it."""
    data = {"id": field["name"], "type": DATASTORE_TYPES.get(field.get("type"), "text")}
    info = {key: field[source] for key, source in (("label", "title"), ("notes", "description")) if field.get(source)}
    if info:
        data["info"] = info
    return data
