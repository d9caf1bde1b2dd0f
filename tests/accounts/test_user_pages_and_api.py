from typing import Any

from swstation.accounts.models import User
from swstation.regions.models import Region
from tests.base import ModelAPITests, ModelViewTests

STRONG_PASSWORD = "Ningbo-Station-2026"


class UserCases:
    model = User
    list_params = {"q": "tester"}

    def make_object(self, code: str, n: int = 0) -> User:
        return User.objects.create(
            username=f"tester{n:03d}",
            full_name=f"测试用户{n:03d}",
            role="station_manager",
            jurisdiction=Region.objects.get(code=code),
            phone="13812345678",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "username": "tester_new",
            "full_name": "新社工",
            "role": "social_worker",
            "jurisdiction": Region.objects.get(code=code).pk,
            "phone": "13900001111",
            "email": "new@example.org",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        }

    def edit_data(self, obj: User) -> dict[str, Any]:
        return {
            "username": obj.username,
            "full_name": "改名",
            "role": obj.role,
            "jurisdiction": obj.jurisdiction_id,
            "phone": obj.phone,
            "email": "",
            "is_active": "on",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "username": "tester_api",
            "role": "social_worker",
            "jurisdiction_code": code,
            "password": STRONG_PASSWORD,
        }

    def api_patch(self, obj: User) -> dict[str, Any]:
        return {"full_name": "接口改名"}

    def object_label(self, obj: User) -> str:
        return obj.username


class TestUserViews(UserCases, ModelViewTests):
    pass


class TestUserAPI(UserCases, ModelAPITests):
    pass
