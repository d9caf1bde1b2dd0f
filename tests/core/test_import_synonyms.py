"""The synonyms imports accept, kept as data the city extends (issue 19): the seeded ones are
words their lists accept, the city bureau alone keeps them (pages, API, history), a synonym
it adds is read by the next import, and one that means nothing the list accepts is refused."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from swstation.core.actors import SYSTEM
from swstation.core.import_models import ImportSynonym
from swstation.core.imports.synonyms import import_synonym_create, load_synonyms
from swstation.core.imports.vocabularies import check_synonym, vocabularies
from swstation.core.roles import Role
from swstation.recipients.importers import RecipientImporter
from tests.core.test_imports import client_for, post_file, xlsx_bytes
from tests.recipients.helpers import id_number
from tests.recipients.test_register_import import HEADER, consenting, start_url
from tests.stations.test_pages_and_api import PolicyAPIOverrides, PolicyViewOverrides
from tests.workforce.helpers import CICHENG, station

pytestmark = pytest.mark.django_db


def test_the_seeded_synonyms_each_mean_a_word_their_list_accepts() -> None:
    seeded = list(ImportSynonym.objects.all())
    assert len(seeded) > 100
    for synonym in seeded:
        check_synonym(synonym)  # raises if a list or a meaning is unknown
    words = load_synonyms()
    assert words["category"]["低保户"] == "低保"
    assert words["category"]["特困供养"] == "特困"
    assert {words["yes_no"][w] for w in ("同意", "已签")} == {"是"}
    assert {words["yes_no"][w] for w in ("不同意", "未签")} == {"否"}
    assert words["fulltime"]["专职"] == "是"
    assert words["education"]["全日制本科"] == "本科"
    assert words["cert_level"]["助理社工师"] == "助理社会工作师"
    assert words["cert_level"]["初级"] == "助理社会工作师"


def test_every_list_an_importer_uses_is_offered() -> None:
    lists = vocabularies()
    assert {"yes_no", "category", "sex", "post", "education", "cert_level", "fulltime"} <= set(
        lists
    )
    assert "低保" in lists["category"].words()
    assert lists["cert_level"].words() == ["助理社会工作师", "社会工作师", "高级社会工作师"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"vocabulary": "nonsense", "text": "甲", "means": "乙"}, "vocabulary"),
        ({"vocabulary": "category", "text": "低保人员", "means": "低保对象"}, "means"),
        ({"vocabulary": "category", "text": "特困", "means": "低保"}, "text"),
        ({"vocabulary": "category", "text": "低保户", "means": "特困"}, "__all__"),
    ],
    ids=["unknown list", "unknown meaning", "a word of the list", "taken"],
)
def test_a_synonym_that_would_change_what_a_word_means_is_refused(
    fields: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        import_synonym_create(actor=SYSTEM, **fields)
    assert field in caught.value.message_dict


def test_a_synonym_the_city_adds_is_read_by_the_next_import(users: dict[str, Any]) -> None:
    station(CICHENG)
    client = client_for(users[Role.SOCIAL_WORKER])
    village = {"所在村(社区)": "勤丰村"}
    rows = [HEADER, consenting(姓名="张桂英", 证件号码=id_number(), 类别="五保老人", **village)]
    _response, job = post_file(client, start_url(), xlsx_bytes(rows))
    assert job is not None and job.status == "invalid"
    assert "五保老人" in job.errors[0]["message"]

    import_synonym_create(
        actor=users[Role.CITY_ADMIN], vocabulary="category", text="五保老人", means="特困"
    )
    _response, job = post_file(client, start_url(), xlsx_bytes(rows))
    assert job is not None and job.status == "valid", job.errors
    (note,) = job.plan["notes"]
    assert (note["column"], note["examples"]) == ("类别", ["五保老人 → 特困"])
    synonym = ImportSynonym.objects.get(text="五保老人")
    assert synonym.history.first().history_user == users[Role.CITY_ADMIN]


class ImportSynonymCases:
    model = ImportSynonym
    list_params = {"q": "测试词"}

    def make_object(self, code: str, n: int = 0) -> ImportSynonym:
        return import_synonym_create(
            actor=SYSTEM, vocabulary="category", text=f"测试词{n:03d}", means="低保"
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {"vocabulary": "category", "text": "测试词新", "means": "特困", "note": ""}

    def edit_data(self, obj: ImportSynonym) -> dict[str, Any]:
        return {"vocabulary": obj.vocabulary, "text": f"{obj.text}改", "means": obj.means}

    def api_data(self, code: str) -> dict[str, Any]:
        return {"vocabulary": "category", "text": "测试词接口", "means": "低保"}

    def api_patch(self, obj: ImportSynonym) -> dict[str, Any]:
        return {"note": "区里常用"}

    def object_label(self, obj: ImportSynonym) -> str:
        return obj.text


class TestImportSynonymViews(ImportSynonymCases, PolicyViewOverrides):
    pass


class TestImportSynonymAPI(ImportSynonymCases, PolicyAPIOverrides):
    pass


def test_the_template_lists_the_synonyms_of_each_column() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from swstation.core.imports import template_workbook

    notes = load_workbook(BytesIO(template_workbook(RecipientImporter))).worksheets[1]
    rows = {row[0]: row for row in notes.iter_rows(values_only=True) if row[0]}
    assert "低保户 → 低保" in rows["类别"][3]
    assert "同意 → 是" in rows["是否同意"][3]


def test_a_synonym_s_page_names_its_list_by_the_columns_that_use_it(
    users: dict[str, Any],
) -> None:
    synonym = ImportSynonym.objects.get(vocabulary="category", text="低保户")
    page = client_for(users[Role.CITY_ADMIN]).get(synonym.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "类别" in html
    assert "<code>category</code>" not in html
