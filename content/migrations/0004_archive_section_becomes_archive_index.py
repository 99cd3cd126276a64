"""A site set up before the archive's landing page existed has a plain section page at /archive/: it
becomes the ArchiveIndexPage in place (same page id, address, translations, menu entry and text),
as apps.common.sections does for other areas' sections, with the migration's own models."""

from django.db import migrations

ARCHIVE_SLUG = "archive"


def archive_section_becomes_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    SectionPage = apps.get_model("content", "SectionPage")
    ArchiveIndexPage = apps.get_model("content", "ArchiveIndexPage")
    home_type = ContentType.objects.filter(app_label="content", model="homepage").first()
    section_type = ContentType.objects.filter(app_label="content", model="sectionpage").first()
    if home_type is None or section_type is None:
        return  # a fresh database: no pages yet
    index_type, _created = ContentType.objects.get_or_create(app_label="content", model="archiveindexpage")
    homes = Page.objects.filter(content_type=home_type)
    for home in homes:
        sections = SectionPage.objects.filter(
            slug=ARCHIVE_SLUG, depth=home.depth + 1, path__startswith=home.path, content_type=section_type
        )
        for section in sections:
            page_id = section.pk  # deleting the section's row below clears section.pk
            ArchiveIndexPage(
                page_ptr_id=page_id,
                summary=section.summary,
                quick_links=section.quick_links.raw_data,
                body=section.body.raw_data,
            ).save_base(raw=True)  # the new type's row only; the wagtailcore_page row stays
            section.delete(keep_parents=True)
            Page.objects.filter(pk=page_id).update(content_type=index_type)
            Revision.objects.filter(object_id=str(page_id), content_type=section_type).update(
                content_type=index_type
            )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_archive_index_page"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(archive_section_becomes_index, migrations.RunPython.noop)]
