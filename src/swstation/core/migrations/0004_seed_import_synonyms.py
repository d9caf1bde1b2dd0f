"""The synonyms imports accept from the start (issue 19): the forms township offices write for
the categories, yes/no, sex, documents, disabilities, the roster's post, education and
certificate level, and the station list's kinds and statuses. The city bureau extends them on
the synonyms page; each ``means`` is a word its list accepts (tests/core/test_import_synonyms.py
checks every one).

Reversible: going back removes exactly these synonyms.
"""

import re
import unicodedata

from django.db import migrations

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "yes_no": {
        "是": ("同意", "已同意", "已签", "已签字", "已签署", "签了"),
        "否": ("不同意", "未同意", "未签", "未签字", "拒绝", "不愿意"),
    },
    "fulltime": {
        "是": ("专职", "全职", "专职社工"),
        "否": ("兼职", "非专职"),
    },
    "sex": {
        "男": ("男性", "m"),
        "女": ("女性", "f"),
    },
    "category": {
        "低保": ("低保户", "低保对象", "低保家庭", "最低生活保障", "城乡低保"),
        "特困": ("特困供养", "特困人员", "特困供养人员", "五保", "五保户"),
        "低边": ("低保边缘", "低保边缘户", "低边户", "低边家庭"),
        "困难家庭": ("困难户", "生活困难家庭"),
        "失独家庭": ("失独", "计生特殊家庭"),
        "孤寡老人": ("孤寡", "孤老"),
        "独居老人": ("独居", "独居老年人"),
        "空巢老人": ("空巢", "空巢老年人"),
        "高龄老人": ("高龄", "高龄老年人"),
        "困境儿童": ("困境",),
        "事实无人抚养儿童": ("事实孤儿", "无人抚养儿童"),
        "留守儿童": ("留守",),
        "残疾人": ("残疾", "残疾人员", "持证残疾人"),
        "流动人口": ("流动", "外来人口"),
    },
    "document_type": {
        "居民身份证": ("二代身份证", "第二代居民身份证", "居民身份证号码"),
    },
    "disability_type": {
        "视力残疾": ("视残",),
        "听力残疾": ("听残",),
        "肢体残疾": ("肢残",),
        "智力残疾": ("智残",),
        "精神残疾": ("精残",),
    },
    "disability_grade": {
        "一级": ("Ⅰ级", "一等"),
        "二级": ("Ⅱ级", "二等"),
        "三级": ("Ⅲ级", "三等"),
        "四级": ("Ⅳ级", "四等"),
    },
    "post": {
        "站长": ("负责人", "站点负责人"),
        "社工": ("专职", "专职社工", "专业社工", "驻站社工"),
        "社工助理": ("助理社工",),
        "社区工作者": ("社区专职工作者", "专职社区工作者", "社区专职"),
    },
    "education": {
        "本科": ("全日制本科", "在职本科", "大学", "学士"),
        "大专": ("大学专科", "全日制大专", "在职大专", "高职"),
        "高中及以下": ("中技", "技校", "职高", "中职", "初中及以下", "小学"),
        "硕士": ("在职研究生", "硕士学位"),
        "博士": ("博士学位",),
    },
    "cert_level": {
        "助理社会工作师": ("助理社工师", "初级", "初级社会工作师", "初级社工师"),
        "社会工作师": ("中级", "社工师", "中级社工师"),
        "高级社会工作师": ("高级", "高级社工师"),
    },
    "station_kind": {
        "乡镇(街道)社工站": ("乡镇街道社工站", "乡镇(街道)社会工作服务站", "镇街社工站"),
        "社会工作总站": ("区社工总站", "县社工总站", "社会工作指导中心"),
        "社工室": ("村社工室", "社区社工室", "村(社区)社会工作室"),
    },
    "station_status": {
        "运营中": ("已运营", "正常", "投入运营", "在运营"),
        "暂停运营": ("停止运营", "已停运"),
        "建设中": ("正在建设", "施工中"),
    },
}


def key_of(text):
    """As swstation.core.imports.cells.normalise_word compares words (copied: a migration
    must not change when the code does)."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("（", "(").replace("）", ")").replace("＊", "*")
    return re.sub(r"[\s*:：]", "", text).lower()


def seed(apps, schema_editor):
    ImportSynonym = apps.get_model("core", "ImportSynonym")
    for vocabulary, meanings in SYNONYMS.items():
        for means, texts in meanings.items():
            for text in texts:
                ImportSynonym.objects.update_or_create(
                    vocabulary=vocabulary,
                    key=key_of(text),
                    defaults={"text": text, "means": means},
                )


def unseed(apps, schema_editor):
    ImportSynonym = apps.get_model("core", "ImportSynonym")
    for vocabulary, meanings in SYNONYMS.items():
        keys = [key_of(text) for texts in meanings.values() for text in texts]
        ImportSynonym.objects.filter(vocabulary=vocabulary, key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_import_synonyms_and_column_choices")]

    operations = [migrations.RunPython(seed, unseed)]
