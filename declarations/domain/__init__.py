"""The domain at the bottom: what a declaration is made of and the rules it must follow,
independent of the database and the web.

- ``choices``: kinds, statuses, layouts, grades, operators and indicator kinds;
- ``money``: exact amounts in yuan and the units the tables print them in;
- ``values``: the one grammar of indicator values ("≥45 场次");
- ``budget``: the budget concepts, stored once, and the identities between them;
- ``profiles``: what each official layout needs and prints, and its labels for the concepts;
- ``rules``: each rule once, returning what is wrong with which field and why;
- ``plausibility``: warnings a clerk may confirm (an amount that looks typed in 元, key-task
  funds above their budget line, a copy that still names the old year);
- ``monitoring``: time progress and the warning lights of mid-year monitoring;
- ``evaluation``: the self-evaluation's points, scores, total and grade;
- ``workflow``: the review moves as data; ``steps``: the wizard's step titles.

Nothing here imports the rest of the project.
"""
