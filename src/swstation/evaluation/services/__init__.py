"""The evaluation app's writes: the standards (``standards``), the rounds (``rounds``) and the
evaluation's own inputs — surveys, stakeholders' forms, complaints (``surveys``)."""

from swstation.evaluation.services.district import *  # noqa: F403
from swstation.evaluation.services.district import __all__ as _district_all
from swstation.evaluation.services.rounds import *  # noqa: F403
from swstation.evaluation.services.rounds import __all__ as _rounds_all
from swstation.evaluation.services.standards import *  # noqa: F403
from swstation.evaluation.services.standards import __all__ as _standards_all
from swstation.evaluation.services.surveys import *  # noqa: F403
from swstation.evaluation.services.surveys import __all__ as _surveys_all

__all__ = [*_standards_all, *_rounds_all, *_surveys_all, *_district_all]
