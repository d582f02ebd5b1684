from servicepact.continuity.models.plan import ContinuityPlan, ExerciseResult, PlanHistory, PlanTest

__all__ = ["ContinuityPlan", "PlanHistory", "PlanTest", "ExerciseResult"]
