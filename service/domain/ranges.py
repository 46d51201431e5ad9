"""The two ranges of a figure: what a report may plausibly print (the parser's) and what the
service can store and still answer (the storage ceiling, from GraphQL's 32-bit ``Int``).

They are two rules on purpose. The ceiling is arithmetic: every figure, and every sum the API
computes over a year (47 prefectures × 12 months), must fit ``Int``. The plausible range is a
judgement, well inside the ceiling: a centre's monthly count is a few thousand, so a figure of
millions is a misread cell or an extra digit, refused while the parser can still name the cell.
``workers.storable`` checks the ceiling again before storing, whatever read the figures.
"""

from __future__ import annotations

#: The largest value GraphQL's ``Int`` holds (2,147,483,647).
INT_MAX = 2**31 - 1
#: How many monthly figures a year's national sum adds up: 47 prefectures × 12 months.
FIGURES_IN_A_NATIONAL_YEAR = 47 * 12

#: The storage ceiling of a monthly figure (3,807,594): a national year of it still fits ``Int``.
STORABLE_MONTHLY = INT_MAX // FIGURES_IN_A_NATIONAL_YEAR
#: The storage ceiling of a printed 合計 or 累計値: it is answered as it is, so ``Int`` itself.
STORABLE_PRINTED = INT_MAX

#: The largest monthly figure of one prefecture a report may print (1,000,000).
PLAUSIBLE_MONTHLY = 1_000_000
#: The largest printed 合計 (national total) or 累計値 (cumulative): a national year of the above.
PLAUSIBLE_PRINTED = FIGURES_IN_A_NATIONAL_YEAR * PLAUSIBLE_MONTHLY
