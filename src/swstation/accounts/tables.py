import django_tables2 as tables

from swstation.accounts.models import User
from swstation.core.masking import mask_phone
from swstation.core.tables import BaseTable


class UserTable(BaseTable):
    username = tables.Column(linkify=True)
    jurisdiction = tables.Column()
    is_active = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = User
        fields = (
            "username",
            "full_name",
            "role",
            "jurisdiction",
            "phone",
            "is_active",
            "last_login",
        )

    # Masked for every role (User.protected_fields): managing an account needs no full number.
    def render_phone(self, value: str) -> str:
        return mask_phone(value)

    def value_phone(self, value: str) -> str:
        return self.render_phone(value)
