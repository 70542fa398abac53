"""`casecheck site`: a static site of the findings' history, a page per case, worker, team and rule."""
