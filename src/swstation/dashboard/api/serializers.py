"""Shapes of the stats API's answers (documented in the OpenAPI schema)."""

from rest_framework import serializers


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class LinkageKindsSerializer(serializers.Serializer):
    """Whether each of the five kinds took part in the period (dashboard/linkage_figures.py
    ``five_kinds``)."""

    community = serializers.BooleanField(
        help_text="A community activity or a group session held, or a residents' proposal."
    )
    social_org = serializers.BooleanField(
        help_text="A social organisation took part in an activity or received a referral."
    )
    social_workers = serializers.BooleanField(
        help_text="A service recorded, a case opened or a group session held."
    )
    volunteers = serializers.BooleanField(help_text="Volunteer hours given.")
    charity = serializers.BooleanField(
        help_text=(
            "A charity, foundation or enterprise took part in an activity or received a "
            "referral, or a grant of the social tier."
        )
    )


class LinkageFiguresSerializer(serializers.Serializer):
    """The 五社联动 figures of a region in the period, from the tallies."""

    index = serializers.IntegerField(help_text="0–5: how many of the five kinds took part.")
    kinds = LinkageKindsSerializer()
    activities = serializers.IntegerField(help_text="Community activities held.")
    participants = serializers.IntegerField(help_text="Participants counted at them.")
    sessions = serializers.IntegerField(help_text="Group sessions held.")
    attendances = serializers.IntegerField(help_text="Members present and walk-ins.")
    volunteer_hours = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Hours given by the volunteers of the region's stations, every source.",
    )
    volunteer_hours_by_source = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2),
        help_text="services, activities, sessions → hours.",
    )
    referrals_by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Status → referrals sent in the period."
    )
    referrals_by_outcome = serializers.DictField(
        child=serializers.IntegerField(), help_text="Outcome → completed referrals."
    )
    median_days_to_answer = serializers.FloatField(allow_null=True)


class LinkageOverviewSerializer(LinkageFiguresSerializer):
    """With the figures counted from the records at the period's end."""

    groups_meeting = serializers.IntegerField(help_text="Groups with a session in the period.")
    volunteers_active = serializers.IntegerField()
    pairings_running = serializers.IntegerField()
    pairings_on_schedule = serializers.IntegerField()
    partners_by_kind = serializers.DictField(child=serializers.IntegerField())
    resources_by_kind = serializers.DictField(
        child=serializers.IntegerField(), help_text="Kind → resources valid at the period's end."
    )
    proposals_by_stage = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Stage → residents' proposals under way in the period (众筹微治).",
    )
    money_pledged = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Money pledged to proposals in the period."
    )
    money_received = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Of it, the money received."
    )


class LinkageAreaSerializer(LinkageFiguresSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LinkageRegionsSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    period = PeriodSerializer()
    total = LinkageAreaSerializer()
    areas = LinkageAreaSerializer(
        many=True,
        help_text="One row per child region (districts of the city, towns of a district).",
    )


class EmploymentOverviewSerializer(serializers.Serializer):
    """The 就业帮扶 figures of a region in the period, counted from the employment records
    (dashboard/employment_figures.py), with the income change of the households followed by a
    livelihood project (their latest check by the period's end against their baseline)."""

    seekers = serializers.IntegerField(help_text="Job seekers registered in the region now.")
    seekers_by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Status (seeking, placed, paused) → seekers."
    )
    seekers_by_sex = serializers.DictField(
        child=serializers.IntegerField(), help_text="Sex (male, female) → seekers."
    )
    seekers_trained = serializers.IntegerField(
        help_text=(
            "Job seekers of the region who attended a skills training (a community activity of "
            "kind training) held in the period."
        )
    )
    employers = serializers.IntegerField(
        help_text="Enterprises that posted a job in the region in the period."
    )
    posts = serializers.IntegerField(help_text="Job posts posted in the period.")
    places = serializers.IntegerField(help_text="Places of those posts.")
    places_filled = serializers.IntegerField(
        help_text="Placements hired in the period (hired, at work or having left since)."
    )
    placed_by_sex = serializers.DictField(
        child=serializers.IntegerField(), help_text="Sex → placements hired in the period."
    )
    placed_by_category = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=(
            "Category of person (women_in_difficulty, farmer, low_income, disabled, other) → "
            "placements hired in the period."
        ),
    )
    median_days_to_placement = serializers.FloatField(
        allow_null=True,
        help_text="Median days from the post's day to the hiring, over those placements.",
    )
    households_followed = serializers.IntegerField(
        help_text=(
            "Income follow-ups of the region's households under way in the period (baseline by "
            "its end, not ended before its start)."
        )
    )
    households_checked = serializers.IntegerField(
        help_text="Of those, the follow-ups with a check by the period's end."
    )
    median_income_before = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        help_text="Median monthly household income before (yuan), of the households checked.",
    )
    median_income_latest = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        help_text="Median monthly household income at the latest check (yuan).",
    )
    median_income_change = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        help_text="Median of each household's latest income less its income before (yuan).",
    )
    households_income_up = serializers.IntegerField(
        help_text="Households whose latest income is above their income before."
    )
    earned_share_before = serializers.FloatField(
        allow_null=True,
        help_text="Share (0–1) of the checked households' income earned rather than given, before.",
    )
    earned_share_latest = serializers.FloatField(
        allow_null=True, help_text="The same share at their latest check."
    )


class OverviewSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    period = PeriodSerializer()
    stations_operating = serializers.IntegerField(
        help_text=(
            "Township stations operating at the period's end (towns and streets, opened by then "
            "and not suspended)."
        )
    )
    townships_total = serializers.IntegerField(
        help_text="Towns and streets (development zones excluded)."
    )
    township_coverage_rate = serializers.FloatField(allow_null=True, help_text="0–1.")
    stations_built_by_year = serializers.DictField(
        child=serializers.IntegerField(), help_text="Year → township stations built."
    )
    compliance_rate = serializers.FloatField(allow_null=True)
    stations_assessed = serializers.IntegerField(
        help_text="Stations operating at the period's end with a construction standard in force."
    )
    stations_compliant = serializers.IntegerField(
        help_text=(
            "Of those, the stations that met the standard in force at the period's end with the "
            "rooms, sign and full-time staff they had then."
        )
    )
    villages_total = serializers.IntegerField()
    villages_served = serializers.IntegerField(
        help_text="Villages and communities with at least one service in the period."
    )
    village_coverage_rate = serializers.FloatField(allow_null=True)
    certified_social_workers = serializers.IntegerField(
        help_text="Certificate holders at the period's end, at the highest level held then."
    )
    population = serializers.IntegerField(allow_null=True)
    population_year = serializers.IntegerField(allow_null=True)
    certified_per_10k = serializers.FloatField(allow_null=True)
    newly_certified_by_year = serializers.DictField(
        child=serializers.IntegerField(), help_text="Year → people first certified that year."
    )
    recipients = serializers.IntegerField(
        help_text="People in service at the period's end (registered by then, not left)."
    )
    services = serializers.IntegerField(help_text="Service records in the period.")
    cases_open = serializers.IntegerField(help_text="Cases not closed at the period's end.")
    cases_opened = serializers.IntegerField(help_text="Cases opened in the period.")
    cases_closed = serializers.IntegerField(help_text="Closures in the period.")
    visits_overdue = serializers.IntegerField(
        help_text="Visit plans overdue at the period's end (today while the period runs)."
    )
    funds_by_tier = serializers.DictField(
        child=serializers.CharField(),
        help_text=(
            "Tier of the four ones (city, county, township, social) → yuan of the period's "
            "year as a decimal string (funds.selectors.funds_by_tier_in)."
        ),
    )
    payments_paid = serializers.FloatField(help_text="Rewards and allowances paid (yuan).")
    subsidies_paid = serializers.FloatField(help_text="Station subsidies paid (yuan).")
    projects_by_category = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=(
            "1+X+1 category (vulnerable_groups, regional_feature, talent_support) → projects "
            "of the region's stations running at the period's end (today while it runs)."
        ),
    )
    projects_followed = serializers.IntegerField(
        help_text=(
            "Projects followed against their targets at the period's end (running, at their "
            "midterm or closing)."
        )
    )
    projects_behind_schedule = serializers.IntegerField(
        help_text=(
            "Of those, the projects with an indicator behind schedule for the share of their "
            "period gone by at the period's end."
        )
    )
    linkage = LinkageOverviewSerializer(help_text="五社联动 (issue 13).")
    employment = EmploymentOverviewSerializer(help_text="就业帮扶 (issue 14).")


class SliceSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(help_text="The key's name in the caller's language.")
    count = serializers.IntegerField()
    total = serializers.FloatField(help_text="Minutes for services, yuan for money.")


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    services = serializers.IntegerField()
    people_served = serializers.IntegerField()


class BreakdownSerializer(serializers.Serializer):
    """Figures by category, type, stage, level or kind, as the cockpit's charts show them."""

    region = RegionRefSerializer()
    period = PeriodSerializer()
    certified_by_level = SliceSerializer(many=True)
    newly_certified_by_year = serializers.DictField(child=serializers.IntegerField())
    recipients_by_category = SliceSerializer(many=True)
    services_by_type = SliceSerializer(many=True)
    services_by_month = MonthSerializer(many=True)
    cases_by_stage = SliceSerializer(many=True)
    paid_by_kind = SliceSerializer(many=True)


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    townships = serializers.IntegerField()
    stations_operating = serializers.IntegerField()
    township_coverage_rate = serializers.FloatField(allow_null=True)
    stations_assessed = serializers.IntegerField()
    stations_compliant = serializers.IntegerField()
    compliance_rate = serializers.FloatField(allow_null=True)
    villages = serializers.IntegerField()
    villages_served = serializers.IntegerField()
    village_coverage_rate = serializers.FloatField(allow_null=True)
    certified = serializers.IntegerField()
    population = serializers.IntegerField(allow_null=True)
    certified_per_10k = serializers.FloatField(allow_null=True)
    newly_certified = serializers.IntegerField()
    recipients = serializers.IntegerField()
    services = serializers.IntegerField()
    cases_opened = serializers.IntegerField()
    cases_open = serializers.IntegerField()
    visits_overdue = serializers.IntegerField()
    payments_paid = serializers.FloatField()
    subsidies_paid = serializers.FloatField()


class RegionsSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    period = PeriodSerializer()
    total = AreaSerializer()
    areas = AreaSerializer(many=True, help_text="One row per child region.")


class NonCompliantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region_code = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())


class StationsSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    period = PeriodSerializer()
    stations_built_by_year = serializers.DictField(child=serializers.IntegerField())
    non_compliant = NonCompliantSerializer(many=True)
