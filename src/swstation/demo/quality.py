"""How well each demo station is run (issue 15, demo fidelity).

The records of a station's work are not independent draws: a station with a steady team, a
regular supervisor and a careful director holds its monthly supervision, sends its staff to
their training, runs its groups to the end, links charity money and spends its budget on
time; a struggling one falls short on most of these at once. Each generator that writes such
records (the supervision sessions of demo/daily.py, the continuing education of
demo/workforce.py, the grants and spending of demo/funds.py, the groups and activities of
demo/community.py) reads the same :func:`station_quality`, so that the automatic indicators
of the evaluation rounds agree with each other and spread over the stations as a city's do:
most stations fair to good, about a quarter very good, a few weak.

Deterministic: a station's quality comes from its division code alone (the same station, the
same quality, whatever else the demo holds).
"""

import random

# A few stations are weak (a team that changed hands, a director on long leave...): the
# share of them, and the range of their quality.
WEAK_SHARE = 0.06
WEAK = (0.05, 0.3)
# The stations the domain holds up as models are run as such, whatever their code would draw:
# 招宝山街道 (镇海区), whose 幸福来敲门 project is the city's example (domain.md), drew 0.08,
# one of the weakest, and its planned 优秀 came out 良好.
MODEL_STATIONS = {"330211001000": 0.93}


def station_quality(region_code: str) -> float:
    """0 (run badly) … 1 (run very well): most stations between 0.45 and 0.95, about one in
    sixteen under 0.3; the model stations (MODEL_STATIONS) as set."""
    if region_code in MODEL_STATIONS:
        return MODEL_STATIONS[region_code]
    rng = random.Random(f"demo-quality-{region_code}")
    if rng.random() < WEAK_SHARE:
        return rng.uniform(*WEAK)
    return min(1.0, max(0.35, rng.betavariate(5, 2.2)))


def chance(region_code: str, low: float, high: float) -> float:
    """A probability between ``low`` (the weakest station) and ``high`` (the best), by the
    station's quality."""
    return low + (high - low) * station_quality(region_code)
