"""What a simulation means to a decision (DESIGN §9, §10): risk and investment metrics, sensitivity.

metrics (means with standard errors, quantiles from the streamed bins), appraisal (the
tables users see), sensitivity (tornado, break-even, value of information, Sobol), business_case (everything a
report shows, computed once per appraisal).
"""
