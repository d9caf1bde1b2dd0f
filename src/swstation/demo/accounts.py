"""Demo accounts: every role at city, district and township level (README lists them)."""

from dataclasses import dataclass

from swstation.core.roles import Role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    region_code: str


DISTRICTS = {
    "haishu": "330203000000",
    "jiangbei": "330205000000",
    "beilun": "330206000000",
    "zhenhai": "330211000000",
    "yinzhou": "330212000000",
    "fenghua": "330213000000",
    "xiangshan": "330225000000",
    "ninghai": "330226000000",
    "yuyao": "330281000000",
    "cixi": "330282000000",
}
CITY = "330200000000"
CICHENG = "330205103000"  # 慈城镇, 江北区
ZHAOBAOSHAN = "330211001000"  # 招宝山街道, 镇海区
ZHOUXIANG = "330282121000"  # 周巷镇, 慈溪市
YUEHU = "330203004000"  # 月湖街道, 海曙区

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("city_admin", "市民政局管理员", Role.CITY_ADMIN, CITY),
    DemoAccount("city_auditor", "市民政局督察", Role.AUDITOR, CITY),
    DemoAccount("city_supervisor", "市级督导", Role.SUPERVISOR, CITY),
    # A third-party evaluator (issue 15): sees only the stations assigned to them in a round.
    DemoAccount("city_evaluator", "第三方评估员", Role.EVALUATOR, CITY),
    *(
        DemoAccount(f"{slug}_officer", f"{slug}区县民政局", Role.DISTRICT_OFFICER, code)
        for slug, code in DISTRICTS.items()
    ),
    DemoAccount("jiangbei_auditor", "江北区督察", Role.AUDITOR, DISTRICTS["jiangbei"]),
    DemoAccount("jiangbei_supervisor", "江北区督导", Role.SUPERVISOR, DISTRICTS["jiangbei"]),
    DemoAccount("cicheng_manager", "慈城镇社工站站长", Role.STATION_MANAGER, CICHENG),
    DemoAccount("cicheng_worker", "慈城镇社工", Role.SOCIAL_WORKER, CICHENG),
    DemoAccount("zhaobaoshan_manager", "招宝山街道社工站站长", Role.STATION_MANAGER, ZHAOBAOSHAN),
    DemoAccount("zhaobaoshan_worker", "招宝山街道社工", Role.SOCIAL_WORKER, ZHAOBAOSHAN),
    DemoAccount("zhouxiang_manager", "周巷镇社工站站长", Role.STATION_MANAGER, ZHOUXIANG),
    DemoAccount("yuehu_worker", "月湖街道社工", Role.SOCIAL_WORKER, YUEHU),
)

# Demo accounts that are also people in the workforce records: the workforce step links each
# to a member of its township station's staff (by post) or to a supervisor serving the region.
STATION_STAFF_LINKS: dict[str, tuple[str, str]] = {
    "cicheng_manager": (CICHENG, "station_director"),
    "cicheng_worker": (CICHENG, "social_worker"),
    "zhaobaoshan_manager": (ZHAOBAOSHAN, "station_director"),
    "zhaobaoshan_worker": (ZHAOBAOSHAN, "social_worker"),
    "zhouxiang_manager": (ZHOUXIANG, "station_director"),
    "yuehu_worker": (YUEHU, "social_worker"),
}
SUPERVISOR_LINKS: dict[str, str] = {
    "city_supervisor": CITY,
    "jiangbei_supervisor": DISTRICTS["jiangbei"],
}
