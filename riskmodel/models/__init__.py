"""The models (DESIGN §4–7, §9, §12): pure, vectorised functions of arrays, in the units their docstrings give.

threats (outage probability), impact (downtime cost), architectures (what DR buys back),
skills (the engineer-skills programme), portfolio (services on shared sites) and finance
(discounting, NPV, IRR, payback). They know nothing of the engine that draws their inputs.
"""
