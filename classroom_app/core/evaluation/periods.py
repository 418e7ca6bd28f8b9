"""School years and terms.

A school year runs from 1 September to 31 August; the autumn term to the end of January
and the spring term from 1 February. Dates are taken in China Standard Time (UTC+8, no
daylight saving), wherever the hub runs: a lesson at 07:30 on 1 September in Beijing is
23:30 UTC on 31 August and belongs to the new year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from classroom_app.core.i18n import tr

SCHOOL_TZ = timezone(timedelta(hours=8), "CST")
TERMS = ("year", "autumn", "spring")


def school_year_of(day: date) -> int:
    """The calendar year the school year containing ``day`` started in."""
    return day.year if day.month >= 9 else day.year - 1


def local_date(moment: datetime) -> date:
    return moment.astimezone(SCHOOL_TZ).date()


def term_of(day: date) -> str:
    return "spring" if 2 <= day.month <= 8 else "autumn"


@dataclass(frozen=True)
class Period:
    """A school year (``term == "year"``) or one of its terms."""

    year: int
    term: str = "year"

    @classmethod
    def containing(cls, day: date, term: str = "year") -> Period:
        year = school_year_of(day)
        if term == "current":
            term = term_of(day)
        return cls(year, term)

    @classmethod
    def parse(cls, key: str) -> Period:
        """``2026`` / ``2026-year`` / ``2026-autumn`` / ``2026-spring``."""
        year, _, term = key.partition("-")
        term = term or "year"
        if not year.isdigit() or term not in TERMS:
            raise ValueError(tr("'{key}' is not a school year or term such as 2026 or "
                                "2026-autumn").format(key=key))
        return cls(int(year), term)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.term}"

    @property
    def whole_year(self) -> Period:
        return Period(self.year)

    def first_day(self) -> date:
        return date(self.year + 1, 2, 1) if self.term == "spring" else date(self.year, 9, 1)

    def end_day(self) -> date:
        """The day after the period."""
        return date(self.year + 1, 2, 1) if self.term == "autumn" else date(self.year + 1, 9, 1)

    def contains(self, day: date) -> bool:
        return self.first_day() <= day < self.end_day()

    def utc_bounds(self) -> tuple[str, str]:
        """[start, end) as xAPI timestamps, for a range query on stored times."""
        def at(day: date) -> str:
            moment = datetime(day.year, day.month, day.day, tzinfo=SCHOOL_TZ).astimezone(UTC)
            return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return at(self.first_day()), at(self.end_day())

    def short_label(self) -> str:
        """"2026秋季学期", "2027春季学期", "2026–2027学年": as schools name a term."""
        if self.term == "autumn":
            return tr("{year} autumn term").format(year=self.year)
        if self.term == "spring":
            return tr("{year} spring term").format(year=self.year + 1)
        return tr("{first}–{last} school year").format(first=self.year, last=self.year + 1)

    def label(self) -> str:
        years = f"{self.year}–{self.year + 1}"
        if self.term == "year":
            return tr("School year {years}").format(years=years)
        return tr("{years} {term}").format(years=years, term=term_name(self.term))


def term_name(term: str) -> str:
    names = {"autumn": tr("Autumn term"), "spring": tr("Spring term"), "year": tr("Whole year")}
    return names.get(term, term)
