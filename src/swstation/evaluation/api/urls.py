from rest_framework.routers import SimpleRouter

from swstation.evaluation.api import views

router = SimpleRouter()
router.register("indicator-sets", views.IndicatorSetViewSet, basename="indicatorset")
router.register("dimensions", views.DimensionViewSet, basename="dimension")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("evaluation-rounds", views.EvaluationRoundViewSet, basename="evaluationround")
router.register("station-evaluations", views.StationEvaluationViewSet, basename="stationevaluation")
router.register("indicator-scores", views.IndicatorScoreViewSet, basename="indicatorscore")
router.register(
    "evaluation-evidence", views.EvaluationEvidenceViewSet, basename="evaluationevidence"
)
router.register("evaluation-events", views.EvaluationEventViewSet, basename="evaluationevent")
router.register(
    "evaluation-results",
    views.StationEvaluationRevisionViewSet,
    basename="stationevaluationrevision",
)
router.register("rectification-items", views.RectificationItemViewSet, basename="rectificationitem")
router.register("evaluators", views.EvaluatorViewSet, basename="evaluator")
router.register("questionnaires", views.QuestionnaireViewSet, basename="questionnaire")
router.register("survey-samples", views.SurveySampleViewSet, basename="surveysample")
router.register("survey-respondents", views.SurveyRespondentViewSet, basename="surveyrespondent")
router.register("survey-attempts", views.SurveyAttemptViewSet, basename="surveyattempt")
router.register("survey-answers", views.SurveyAnswerViewSet, basename="surveyanswer")
router.register("stakeholder-ratings", views.StakeholderRatingViewSet, basename="stakeholderrating")
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register(
    "district-assessment-schemes",
    views.DistrictAssessmentSchemeViewSet,
    basename="districtassessmentscheme",
)
router.register(
    "district-assessments", views.DistrictAssessmentViewSet, basename="districtassessment"
)
router.register("district-results", views.DistrictResultViewSet, basename="districtresult")
urlpatterns = router.urls
