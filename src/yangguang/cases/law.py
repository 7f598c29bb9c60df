"""The numbers the law itself fixes, each with its article (reference.md §2).

Numbers a jurisdiction sets (较大数额, 重大 thresholds, the statement period …) are not
here: they live in ``CaseRules`` (models.py), editable by the system administrator,
with the national default or, where the law has none, the most protective of the
published local figures.

Periods of 2, 3, 5 and 7 days are working days (行政处罚法 第八十五条; 行政强制法
第六十九条 for 10 days); 15 and 90 days, and months, are calendar days.
"""

import datetime
from decimal import Decimal

# 行政处罚法 第五十一条: summary procedure only for a warning or a fine up to these.
SIMPLE_FINE_LIMIT_INDIVIDUAL = Decimal(200)
SIMPLE_FINE_LIMIT_ORGANISATION = Decimal(3000)

# 第六十八条: on-the-spot collection after a summary decision of at most 100 yuan
# (or where it would be hard to enforce afterwards).
ON_THE_SPOT_COLLECTION_LIMIT = Decimal(100)

# 第三十六条: no penalty for an act undiscovered for 2 years; 5 years where it harmed
# life, health or financial safety and had harmful consequences.
LIMITATION_YEARS = 2
LIMITATION_YEARS_SAFETY = 5

# 第四十二条: at least two officers holding enforcement certificates.
MINIMUM_OFFICERS = 2
# Not the law's: a bound on the officers named in one case, so that no request can
# make the server check an unbounded list.
MAXIMUM_CASE_OFFICERS = 20

# 第五十六条: preserved evidence decided on within 7 (working) days.
PRESERVATION_WORKING_DAYS = 7

# 第五十八条第二款: first-time legal reviewers hold the legal professional qualification
# (法律职业资格); the revised law is in force from this day.
LEGAL_QUALIFICATION_FROM = datetime.date(2021, 7, 15)

# 第六十条: decision within 90 (calendar) days of filing.
DECISION_DAYS = 90

# 第六十一条: served within 7 (working) days when the party is absent.
SERVICE_WORKING_DAYS = 7

# 第六十四条: hearing requested within 5 (working) days of the notice; the party
# notified at least 7 (working) days before the hearing.
HEARING_REQUEST_WORKING_DAYS = 5
HEARING_NOTICE_WORKING_DAYS = 7

# 第六十七条: the fine paid within 15 (calendar) days of receiving the decision.
PAYMENT_DAYS = 15

# Not the law's: 第六十六条第二款 sets no number of instalments; a bound keeps a plan
# (and any request proposing one) finite.
MAXIMUM_INSTALMENTS = 36

# 第七十二条: a surcharge of 3 % of the fine per day overdue, never more than the fine.
SURCHARGE_RATE_PER_DAY = Decimal("0.03")

# 行政强制法 第五十四条: the reminder (催告书) served at least 10 (working) days before
# applying to the court; 第五十三条: apply within 3 months after the periods for
# reconsideration (60 days, 行政复议法 第二十条) and litigation (6 months, 行政诉讼法
# 第四十六条) have lapsed.
REMINDER_WORKING_DAYS = 10
LITIGATION_MONTHS = 6
COURT_APPLICATION_MONTHS = 3

# 第四十八条 / 国办发〔2018〕118号: penalty decisions published within 7 working days.
PUBLICATION_WORKING_DAYS = 7
