# Jurors, conflicts, rounds, scorecards and results publication arrive with the judging issue.
