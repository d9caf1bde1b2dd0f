import django_tables2 as tables

from swstation.accounts.models import User
from swstation.core.masking import mask_phone, user_sees_personal_data
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

    def render_phone(self, value: str) -> str:
        return value if user_sees_personal_data(self.user) else mask_phone(value)

    def value_phone(self, value: str) -> str:
        return self.render_phone(value)
