from typing import Any

from swstation.regions.models import Population, Region
from tests.base import ModelAPITests, ModelViewTests


class RegionCases:
    model = Region
    list_params = {"q": "测试村"}

    def make_object(self, code: str, n: int = 0) -> Region:
        township = Region.objects.get(code=code)
        return Region.objects.create(
            code=f"{code[:9]}{500 + n:03d}", name=f"测试村{n:03d}", level="village", parent=township
        )

    def form_data(self, code: str) -> dict[str, Any]:
        township = Region.objects.get(code=code)
        return {
            "code": f"{code[:9]}599",
            "name": "测试村新",
            "level": "village",
            "parent": township.pk,
        }

    def edit_data(self, obj: Region) -> dict[str, Any]:
        return {
            "code": obj.code,
            "name": f"{obj.name}改",
            "level": obj.level,
            "parent": obj.parent_id,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "code": f"{code[:9]}598",
            "name": "测试村接口",
            "level": "village",
            "parent_code": code,
        }

    def api_patch(self, obj: Region) -> dict[str, Any]:
        return {"name": f"{obj.name}改"}

    def object_label(self, obj: Region) -> str:
        return obj.name


class TestRegionViews(RegionCases, ModelViewTests):
    pass


class TestRegionAPI(RegionCases, ModelAPITests):
    pass


class PopulationCases:
    model = Population
    list_params = {"q": ""}

    def make_object(self, code: str, n: int = 0) -> Population:
        return Population.objects.create(
            region=Region.objects.get(code=code),
            year=1990 + n % 30 + (n // 30) * 40,
            population=100_000 + n,
            note=f"测试数据{n:03d}",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "region": Region.objects.get(code=code).pk,
            "year": 1980,
            "population": 54321,
            "status": "entered",
            "note": "新数据",
        }

    def edit_data(self, obj: Population) -> dict[str, Any]:
        return {
            "region": obj.region_id,
            "year": obj.year,
            "population": obj.population + 1,
            "status": obj.status,
            "note": obj.note,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"region_code": code, "year": 1981, "population": 65432, "status": "entered"}

    def api_patch(self, obj: Population) -> dict[str, Any]:
        return {"population": obj.population + 1}

    def object_label(self, obj: Population) -> str:
        return obj.note


class TestPopulationViews(PopulationCases, ModelViewTests):
    pass


class TestPopulationAPI(PopulationCases, ModelAPITests):
    pass
