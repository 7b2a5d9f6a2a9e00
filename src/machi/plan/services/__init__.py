"""Every write in the plan app: import, KPI figures, the evaluation workflow, comments, OODA."""
