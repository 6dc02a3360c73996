"""What a simulation means to a decision (DESIGN §9, §10): risk and investment metrics, sensitivity.

metrics (means with standard errors, quantiles from the streamed bins), decision (what to
recommend and every verdict it rests on, with its standard error), precision (adaptive
trials until the answer is settled), appraisal (the tables users see), sensitivity (tornado, break-even, value of information, Sobol), business_case (everything a
report shows, computed once per appraisal).
"""
