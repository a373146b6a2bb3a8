"""The public resident portal: programs, the eligibility check, the household lookup,
trainings and notices by village, and requests to the village officer. No login.

It composes the other apps (loans' eligibility rules, trainings, outreach) and adds only
what is its own: the program guides (papers, where to apply) and the log of public
attempts that rate-limits the lookup and the requests.
"""
