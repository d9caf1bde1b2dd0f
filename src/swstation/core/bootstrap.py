"""How django-bootstrap5 draws a form's fields (``settings.BOOTSTRAP5["field_renderers"]``)."""

from django_bootstrap5.renderers import FieldRenderer as BootstrapFieldRenderer


class FieldRenderer(BootstrapFieldRenderer):
    """A form sent back with errors marks the fields that are wrong, and only those.

    Bootstrap's green tick on every other field said "checked and fine" of optional fields
    left empty, and of password fields, which come back empty and whose rules are checked only
    once the fields before them pass."""

    def get_server_side_validation_classes(self) -> str:
        return "is-invalid" if self.field_errors else ""
