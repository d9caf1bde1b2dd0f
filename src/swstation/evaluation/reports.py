"""Reads of the evaluation reports (issue 15, "Reports"): a station's scorecard as a document
(printable A4, .xlsx) and a round's results by district and city (page, .xlsx and the API's
``evaluation-rounds/{id}/results/``). The pages, the workbooks and the API read these, never the
models, so that they show the same figures under the same rules.

Who reads what:

- **Scorecard**: the evaluations the actor sees (``selectors.evaluation_list``: jurisdiction, or
  an evaluator's assignments; anyone else 404), with the columns ``selectors.score_visibility``
  lets them read, exactly as the scorecard page shows them; the ranks once the result is final;
  the station's contact person and phone masked for the roles that read personal data masked
  (an evaluator, an auditor).
- **Round results**: only **final** results count (spec §3: "only final results are ranked"; a
  result published for objections may still change). The ranking lists the stations whose
  evaluation the actor sees, each with its rank in the district and in the city — what each
  station's scorecard tells them. The figures of a district (stations evaluated, mean, median,
  minimum, maximum, grades, 优良率, 不合格) are those of every final result of that district,
  shown for the districts of the stations the actor sees; the city's figures are shown to
  whoever reads a city rank (the city bureau, and anyone who sees a final result of the round,
  as its scorecard and the API's ``city_rank`` already tell them its place in the city).
- **Star rounds** (spec §3): the bonus, the total with the bonus and the star (or why none) are
  read with the total (the same rule: ``shown_bonus``/``shown_star``/``shown_star_note``), the
  ranking is by the total with the bonus (``selectors.evaluation_ranks``) and the figures count
  the stars; the grades and the figures of the totals stay on the 100-point base. Any other
  round shows no star field.

Each read costs a fixed number of queries whatever the number of stations or indicators."""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from swstation.core.actors import Actor
from swstation.core.export import DATE_FORMAT, safe_row, sheet_title
from swstation.core.masking import mask_phone, user_sees_personal_data
from swstation.core.roles import Role
from swstation.evaluation import selectors
from swstation.evaluation.models import (
    EvaluationRound,
    EvaluationStatus,
    RectificationItem,
    RoundKind,
    Star,
    StationEvaluation,
)
from swstation.evaluation.rules import rule_summary
from swstation.evaluation.scoring import GRADE_CODES, grade_label
from swstation.evaluation.selectors import ScorecardDimension, ScoreVisibility
from swstation.evaluation.tables import grade_text, mask_name
from swstation.regions.models import Region

__all__ = [
    "GOOD_GRADES",
    "GradeShare",
    "RankedStation",
    "ResultFigures",
    "RoundResults",
    "ScorecardReport",
    "StarCounts",
    "grade_shares",
    "result_figures",
    "results_workbook",
    "round_results",
    "scorecard_report",
    "scorecard_workbook",
    "star_counts",
    "star_text",
]

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
# 优良率: the share of 优秀 and 良好 among the stations evaluated.
GOOD_GRADES = ("excellent", "good")


def _district_code(region_code: str) -> str:
    """The county's 12-digit code of a region code (330205103000 → 330205000000)."""
    return f"{region_code[:6]:0<12}"


def star_text(star: int | None, note: str = "") -> str:
    """A star as read on the reports: "★★★★★ 五星级", or why there is none (the star note
    already says "no star" and why; a star round's low total has no note)."""
    if star in Star.values:
        return f"{'★' * int(star or 0)} {Star(star).label}"
    return note or str(_("No star"))


def _share(count: int, total: int) -> Decimal:
    """``count`` of ``total`` in percent, to 0.1 (0 when there is nothing)."""
    if not total:
        return Decimal(0)
    return (Decimal(count * 100) / total).quantize(TENTH, rounding=ROUND_HALF_UP)


# --- a station's scorecard as a document -------------------------------------------------------


@dataclass
class ScorecardReport:
    """What the printed scorecard and its workbook show, as far as the actor may read it."""

    evaluation: StationEvaluation
    visibility: ScoreVisibility
    rows: list[ScorecardDimension]
    district: str
    town: str
    contact_name: str
    contact_phone: str
    total: Decimal | None
    grade: str
    grade_name: str
    district_rank: int | None
    city_rank: int | None
    rectifications: list[RectificationItem] = field(default_factory=list)
    # A star round's (None/"" elsewhere, and while the total is hidden from the reader).
    is_star: bool = False
    bonus: Decimal | None = None
    star: int | None = None
    star_note: str = ""

    @property
    def points(self) -> Decimal:
        """The points of the base the total is out of (100): the bonus dimensions are on top."""
        return sum((row.points for row in self.rows if not row.dimension.is_bonus), Decimal(0))

    @property
    def bonus_points(self) -> Decimal:
        """The most the bonus may add: its dimensions' points, up to the version's cap."""
        points = sum((row.points for row in self.rows if row.dimension.is_bonus), Decimal(0))
        return min(points, self.evaluation.round.indicator_set.bonus_cap)

    @property
    def total_with_bonus(self) -> Decimal | None:
        if self.total is None:
            return None
        return self.total + (self.bonus or Decimal(0))

    @property
    def star_name(self) -> str:
        return str(Star(self.star).label) if self.star in Star.values else ""

    @property
    def star_text(self) -> str:
        return star_text(self.star, self.star_note)


def scorecard_report(*, actor: Actor, evaluation: StationEvaluation) -> ScorecardReport:
    """The scorecard of ``evaluation`` (one the actor sees: from ``selectors.evaluation_list``,
    with its ``shown_total``/``shown_grade``) as a document: every indicator by dimension with
    its rule in words and its evidence files, the columns the actor reads, the ranks once
    final. A fixed number of queries whatever the number of indicators."""
    visibility = selectors.score_visibility(actor=actor, evaluation=evaluation)
    rows = selectors.scorecard(evaluation=evaluation)
    for row in rows:
        for score in row.scores:
            indicator = score.indicator
            score.rule_text = rule_summary(indicator.rule_type, indicator.rule_params)  # type: ignore[attr-defined]
            score.evidence_titles = [  # type: ignore[attr-defined]
                evidence.title for evidence in score.evidence_files.all()
            ]
    sees = visibility.evaluator_scores
    total = getattr(evaluation, "shown_total", evaluation.total_score) if sees else None
    grade = (getattr(evaluation, "shown_grade", evaluation.grade) or "") if sees else ""
    # The star is read exactly when the total is (spec §3: it is given on the total).
    is_star = evaluation.round.kind == RoundKind.STAR
    stars = is_star and total is not None
    bonus = getattr(evaluation, "shown_bonus", evaluation.bonus_score) if stars else None
    star = getattr(evaluation, "shown_star", evaluation.star) if stars else None
    star_note = (
        (getattr(evaluation, "shown_star_note", evaluation.star_note) or "") if stars else ""
    )
    ranks: tuple[int | None, int | None] = (None, None)
    if sees and evaluation.status == EvaluationStatus.FINAL:
        ranks = selectors.evaluation_ranks(round=evaluation.round).get(evaluation.pk, ranks)
    station = evaluation.station
    town = station.region
    district = town.parent if town is not None else None
    masked = not user_sees_personal_data(actor)
    name, phone = station.contact_name or "", station.contact_phone or ""
    return ScorecardReport(
        evaluation=evaluation,
        visibility=visibility,
        rows=rows,
        district=district.name if district is not None else "",
        town=town.name if town is not None else "",
        contact_name=mask_name(name) if masked else name,
        contact_phone=mask_phone(phone) if masked else phone,
        total=total,
        grade=grade,
        grade_name=grade_text(grade),
        district_rank=ranks[0],
        city_rank=ranks[1],
        rectifications=list(evaluation.rectifications.select_related("indicator").order_by("pk"))
        if sees
        else [],
        is_star=is_star,
        bonus=bonus,
        star=star,
        star_note=star_note,
    )


# --- a round's results by district and city ----------------------------------------------------


@dataclass(frozen=True)
class GradeShare:
    code: str
    label: str
    count: int
    share: Decimal  # percent, to 0.1


@dataclass(frozen=True)
class StarCounts:
    """A star round's stations by star (spec §3: five, four, none)."""

    five: int
    four: int
    none: int

    @property
    def shares(self) -> list[GradeShare]:
        """Five stars, four, none, each with its share of the stations in percent."""
        total = self.five + self.four + self.none
        return [
            GradeShare(code, str(label), count, _share(count, total))
            for code, label, count in (
                (str(Star.FIVE), Star.FIVE.label, self.five),
                (str(Star.FOUR), Star.FOUR.label, self.four),
                ("none", _("No star"), self.none),
            )
        ]


def star_counts(stars: Iterable[int | None]) -> StarCounts:
    """How many of a star round's results (their stars, None for none) have each star."""
    given = list(stars)
    five, four = given.count(Star.FIVE), given.count(Star.FOUR)
    return StarCounts(five=five, four=four, none=len(given) - five - four)


def grade_shares(grades: Iterable[str | None]) -> list[GradeShare]:
    """How many of the results with these grades have each grade, best first, with their
    share in percent (of every result given, graded or not)."""
    given = list(grades)
    counts = {code: 0 for code in GRADE_CODES}
    for grade in given:
        if grade in counts:
            counts[grade] += 1
    return [
        GradeShare(code, str(grade_label(code)), counts[code], _share(counts[code], len(given)))
        for code in GRADE_CODES
    ]


@dataclass
class ResultFigures:
    """The figures of a set of final results: a district's or the city's."""

    region_code: str
    name: str
    count: int = 0
    mean: Decimal | None = None
    median: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    grades: list[GradeShare] = field(default_factory=list)
    good_rate: Decimal = Decimal(0)  # 优良率, percent
    fail_count: int = 0
    stars: StarCounts | None = None  # star rounds only


@dataclass
class RankedStation:
    """A station of the ranking, as the actor may read it."""

    evaluation_id: int
    station_id: int
    station: str
    district_code: str
    district: str
    town: str
    total: Decimal
    grade: str
    grade_name: str
    district_rank: int | None
    city_rank: int | None
    url: str
    # A star round's (the API and the workbook show them for star rounds only).
    star_round: bool = False
    bonus: Decimal | None = None
    star: int | None = None
    star_note: str = ""

    @property
    def total_with_bonus(self) -> Decimal:
        return self.total + (self.bonus or Decimal(0))

    @property
    def star_name(self) -> str:
        return str(Star(self.star).label) if self.star in Star.values else ""

    @property
    def star_label(self) -> str | None:
        """The star's name for the API, null without a star."""
        return self.star_name or None

    @property
    def star_text(self) -> str:
        return star_text(self.star, self.star_note)


@dataclass
class RoundResults:
    round: EvaluationRound
    districts: list[ResultFigures]
    city: ResultFigures | None
    ranking: list[RankedStation]  # the city's order: best first, ties by name

    @property
    def is_star(self) -> bool:
        return self.round.kind == RoundKind.STAR

    def district_ranking(self, code: str) -> list[RankedStation]:
        """The stations of district ``code`` the actor sees, in the district's order."""
        return sorted(
            (row for row in self.ranking if row.district_code == code),
            key=lambda row: (row.district_rank or 0, row.station),
        )

    @property
    def by_district(self) -> list[tuple[ResultFigures, list[RankedStation]]]:
        return [(figures, self.district_ranking(figures.region_code)) for figures in self.districts]

    @property
    def district_rows(self) -> list[dict[str, Any]]:
        """Each district's figures with its ranking (the API's ``districts``)."""
        return [{**vars(figures), "ranking": ranking} for figures, ranking in self.by_district]


def result_figures(
    region_code: str,
    name: str,
    results: Iterable[tuple[Decimal, str]],
    stars: Iterable[int | None] | None = None,
) -> ResultFigures:
    """The figures of ``results`` — (total, grade) pairs of final results —, with the count
    by star of ``stars`` (a star round's, one per result) when given."""
    pairs = list(results)
    totals = [total for total, _grade in pairs]
    count = len(pairs)
    figures = ResultFigures(region_code=region_code, name=name, count=count)
    figures.grades = grade_shares(grade for _total, grade in pairs)
    counts = {share.code: share.count for share in figures.grades}
    figures.good_rate = _share(sum(counts[code] for code in GOOD_GRADES), count)
    figures.fail_count = counts["fail"]
    if stars is not None:
        figures.stars = star_counts(stars)
    if totals:
        figures.mean = (sum(totals, start=Decimal(0)) / count).quantize(CENT, ROUND_HALF_UP)
        figures.median = Decimal(statistics.median(totals)).quantize(CENT, ROUND_HALF_UP)
        figures.minimum = min(totals)
        figures.maximum = max(totals)
    return figures


def _city_role(actor: Actor) -> bool:
    return bool(getattr(actor, "is_superuser", False)) or getattr(actor, "role", "") == (
        Role.CITY_ADMIN
    )


def round_results(*, actor: Actor, round: EvaluationRound) -> RoundResults:
    """The final results of ``round`` by district and for the city, and the ranking of the
    stations the actor sees (module note: who reads what). Four queries whatever the number
    of stations: the actor's final results, every final result's total and grade (and star),
    the ranks (``selectors.evaluation_ranks``) and the districts' names. A star round ranks
    by the total with the bonus and counts the stars."""
    is_star = round.kind == RoundKind.STAR
    seen = list(
        selectors.evaluation_list(actor=actor)
        .filter(round=round, status=EvaluationStatus.FINAL)
        .exclude(total_score__isnull=True)
        .select_related("station__region")
        .order_by("-total_score", "station__name", "pk")
    )
    if is_star:
        # The order of evaluation_ranks (spec §3: the stars are given on the total with the
        # bonus), ties by name as elsewhere.
        seen.sort(
            key=lambda row: (
                -((row.total_score or 0) + (row.bonus_score or 0)),
                row.station.name,
                row.pk,
            )
        )
    everything = [
        (code, total, grade, star)
        for code, total, grade, star in StationEvaluation.objects.filter(
            round=round, status=EvaluationStatus.FINAL
        ).values_list("region_code", "total_score", "grade", "star")
        if total is not None
    ]
    ranks = selectors.evaluation_ranks(round=round) if everything else {}
    district_codes = {_district_code(evaluation.region_code) for evaluation in seen}
    if _city_role(actor):
        district_codes |= {_district_code(code) for code, *_rest in everything}
    names = dict(Region.objects.filter(code__in=district_codes).values_list("code", "name"))
    by_district: dict[str, list[tuple[Decimal, str, int | None]]] = {}
    for code, total, grade, star in everything:
        by_district.setdefault(_district_code(code), []).append((total, grade, star))

    def figures_of(
        code: str, name: str, rows: list[tuple[Decimal, str, int | None]]
    ) -> ResultFigures:
        return result_figures(
            code,
            name,
            ((total, grade) for total, grade, _star in rows),
            [star for _total, _grade, star in rows] if is_star else None,
        )

    districts = [
        figures_of(code, names.get(code, code), by_district.get(code, []))
        for code in sorted(district_codes)
    ]
    city = None
    if _city_role(actor) or seen:
        city = figures_of("", _("Whole city"), [row[1:] for row in everything])
    ranking = []
    for evaluation in seen:
        district_rank, city_rank = ranks.get(evaluation.pk, (None, None))
        code = _district_code(evaluation.region_code)
        region = evaluation.station.region
        ranking.append(
            RankedStation(
                evaluation_id=evaluation.pk,
                station_id=evaluation.station_id,
                station=evaluation.station.name,
                district_code=code,
                district=names.get(code, code),
                town=region.name if region is not None else "",
                total=evaluation.total_score or Decimal(0),
                grade=evaluation.grade,
                grade_name=grade_text(evaluation.grade),
                district_rank=district_rank,
                city_rank=city_rank,
                url=evaluation.get_absolute_url(),
                star_round=is_star,
                bonus=evaluation.bonus_score if is_star else None,
                star=evaluation.star if is_star else None,
                star_note=evaluation.star_note if is_star else "",
            )
        )
    return RoundResults(round=round, districts=districts, city=city, ranking=ranking)


# --- the workbooks (core/export.py's helpers: every cell safe, Chinese headers) -----------------

SCORE_FORMAT = "0.00"
SHARE_FORMAT = "0.0"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _typed(sheet: Any, row: list[Any], formats: dict[int, str] | None = None) -> None:
    """Append ``row`` (through ``safe_row``), numbers with their format (decimals to 0.00,
    or the column's own)."""
    sheet.append(safe_row(row))
    line = sheet.max_row
    for index, value in enumerate(row, start=1):
        cell = sheet.cell(row=line, column=index)
        if isinstance(value, Decimal):
            cell.number_format = (formats or {}).get(index, SCORE_FORMAT)
        elif isinstance(value, str):
            cell.alignment = WRAP


def _header(sheet: Any, labels: Iterable[Any]) -> None:
    sheet.append(safe_row(str(label) for label in labels))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _widths(sheet: Any, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def scorecard_workbook(report: ScorecardReport) -> Workbook:
    """The scorecard as a workbook: a sheet of the evaluation's facts, a sheet of every
    indicator by dimension (the columns the reader may read only), and the rectification
    items when there are any."""
    evaluation = report.evaluation
    round_ = evaluation.round
    visibility = report.visibility
    book = Workbook()
    facts = book.active
    assert facts is not None
    facts.title = sheet_title(_("Scorecard"))
    lines: list[tuple[Any, Any]] = [
        (_("station"), evaluation.station.name),
        (_("district"), report.district),
        (_("town / street"), report.town),
        (_("contact person"), report.contact_name),
        (_("contact phone"), report.contact_phone),
        (_("evaluation round"), f"{round_.name}（{round_.get_kind_display()}）"),
        (_("indicator set"), str(round_.indicator_set)),
        (_("snapshot date"), round_.snapshot_date),
        (_("status"), evaluation.get_status_display()),
        (_("evaluator"), str(evaluation.evaluator or "")),
    ]
    if visibility.self_scores and evaluation.self_total is not None:
        lines.append((_("self-assessed total"), evaluation.self_total))
    if visibility.evaluator_scores:
        lines += [
            (_("total score"), report.total),
            (_("evaluation grade"), report.grade_name),
        ]
        if report.is_star and report.total is not None:
            lines += [
                (_("bonus score"), report.bonus),
                (_("total with the bonus"), report.total_with_bonus),
                (_("star rating"), report.star_text),
            ]
        lines += [
            (_("rank in the district"), report.district_rank),
            (_("rank in the city"), report.city_rank),
            (_("veto"), evaluation.get_veto_display() if evaluation.veto else _("None")),
            (_("why the veto"), evaluation.veto_reason),
            (_("site visit on"), evaluation.site_visit_on),
            (_("site-visit findings"), evaluation.site_findings),
        ]
    for label, value in lines:
        _typed(facts, [str(label), value])
        facts.cell(row=facts.max_row, column=1).font = BOLD
        if isinstance(value, date):
            facts.cell(row=facts.max_row, column=2).number_format = DATE_FORMAT
    _widths(facts, (18, 70))

    sheet = book.create_sheet(sheet_title(_("Indicators")))
    columns: list[Any] = [
        _("dimension"),
        _("code"),
        _("indicator"),
        _("points"),
        _("scoring rule"),
        _("measured value"),
        _("how it was measured"),
        _("automatic score"),
    ]
    widths = [16, 7, 28, 7, 30, 10, 30, 10]
    if visibility.self_scores:
        columns += [_("self-score"), _("station's explanation")]
        widths += [9, 24]
    if visibility.evaluator_scores:
        columns += [_("evaluator's score"), _("final score"), _("why overridden"), _("finding")]
        widths += [10, 9, 24, 30]
    if visibility.district_comments:
        columns.append(_("district's comment"))
        widths.append(24)
    columns.append(_("evidence files"))
    widths.append(30)
    _header(sheet, columns)
    sheet.freeze_panes = "A2"
    for row in report.rows:
        # A bonus dimension (加分项) is on top of the 100 points, never in the grade.
        dimension = (
            f"{row.dimension}（{_('bonus')}）" if row.dimension.is_bonus else str(row.dimension)
        )
        for score in row.scores:
            indicator = score.indicator
            cells: list[Any] = [
                dimension,
                indicator.code,
                indicator.name,
                indicator.points,
                f"{indicator.get_rule_type_display()}：{score.rule_text}"  # type: ignore[attr-defined]
                if score.rule_text  # type: ignore[attr-defined]
                else indicator.get_rule_type_display(),
                score.measured_value,
                score.measure_detail,
                score.auto_score,
            ]
            if visibility.self_scores:
                cells += [score.self_score, score.self_note]
            if visibility.evaluator_scores:
                cells += [
                    score.evaluator_score,
                    score.final_score,
                    score.override_reason,
                    score.finding,
                ]
            if visibility.district_comments:
                cells.append(score.district_comment)
            cells.append("、".join(score.evidence_titles))  # type: ignore[attr-defined]
            _typed(sheet, cells)
        subtotal: list[Any] = [
            str(_("Subtotal of %(dimension)s") % {"dimension": dimension}),
            "",
            "",
            row.points,
            "",
            None,
            "",
            None,
        ]
        if visibility.self_scores:
            subtotal += [row.self_total, ""]
        if visibility.evaluator_scores:
            subtotal += [None, row.total, "", ""]
        _typed(sheet, subtotal)
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    _widths(sheet, widths)

    if report.rectifications:
        items = book.create_sheet(sheet_title(_("Rectification items")))
        _header(items, (_("indicator"), _("finding"), _("required action"), _("status"), _("due")))
        for item in report.rectifications:
            _typed(
                items,
                [
                    item.indicator.code if item.indicator else "",
                    item.finding,
                    item.required_action,
                    item.get_status_display(),
                    item.due_on,
                ],
            )
            if item.due_on:
                items.cell(row=items.max_row, column=5).number_format = DATE_FORMAT
        _widths(items, (8, 40, 40, 10, 12))
    return book


def results_workbook(results: RoundResults) -> Workbook:
    """The round's results as a workbook: a sheet by district (the city last) and a sheet of
    the ranking."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(_("By district"))
    columns: list[Any] = [
        _("district"),
        _("stations evaluated"),
        _("mean total"),
        _("median total"),
        _("lowest total"),
        _("highest total"),
    ]
    for code in GRADE_CODES:
        label = grade_label(code)
        columns += [
            _("%(grade)s stations") % {"grade": label},
            _("%(grade)s share") % {"grade": label},
        ]
    columns += [_("excellent or good rate"), _("stations failed")]
    if results.is_star:
        columns += [_("five-star stations"), _("four-star stations"), _("stations without a star")]
    _header(sheet, columns)
    sheet.freeze_panes = "B2"
    share_columns = {8 + 2 * i for i in range(len(GRADE_CODES))} | {7 + 2 * len(GRADE_CODES)}
    formats = {index: SHARE_FORMAT for index in share_columns}
    rows = list(results.districts) + ([results.city] if results.city is not None else [])
    for figures in rows:
        cells: list[Any] = [
            figures.name,
            figures.count,
            figures.mean,
            figures.median,
            figures.minimum,
            figures.maximum,
        ]
        for grade in figures.grades:
            cells += [grade.count, grade.share]
        cells += [figures.good_rate, figures.fail_count]
        if results.is_star and figures.stars is not None:
            cells += [figures.stars.five, figures.stars.four, figures.stars.none]
        _typed(sheet, cells, formats)
        if figures is results.city:
            for cell in sheet[sheet.max_row]:
                cell.font = BOLD
    widths = [14, 10, 10, 10, 10, 10] + [10] * (2 * len(GRADE_CODES)) + [12, 10]
    _widths(sheet, widths + ([10, 10, 10] if results.is_star else []))

    ranking = book.create_sheet(sheet_title(_("Ranking")))
    headers: list[Any] = [
        _("rank in the city"),
        _("rank in the district"),
        _("station"),
        _("district"),
        _("town / street"),
        _("total score"),
        _("evaluation grade"),
    ]
    if results.is_star:
        headers += [_("bonus score"), _("total with the bonus"), _("star rating")]
    _header(ranking, headers)
    ranking.freeze_panes = "A2"
    for row in results.ranking:
        cells = [
            row.city_rank,
            row.district_rank,
            row.station,
            row.district,
            row.town,
            row.total,
            row.grade_name,
        ]
        if results.is_star:
            cells += [row.bonus, row.total_with_bonus, row.star_text]
        _typed(ranking, cells)
    _widths(ranking, (10, 10, 28, 12, 14, 10, 10) + ((10, 10, 24) if results.is_star else ()))
    return book
