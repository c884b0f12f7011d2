#!/usr/bin/env python3
"""Generates rrule-vectors.json: RFC 5545 recurrence vectors for Docket, computed by python-dateutil.

Run once, from anywhere, and commit the output:

    python3 Tests/ReferenceData/make-rrule-vectors.py

Needs python-dateutil (2.9.0) and the standard library's zoneinfo with system tzdata. The output is
deterministic for a given dateutil and tzdata: the random rules come from a fixed seed.

Each vector is a schedule as Docket reads it (a DTSTART;TZID=... line, an RRULE line, optional
RDATE and EXDATE lines), a zone, an instant `after` (UTC seconds since 1970), and the first firings
strictly after it (UTC seconds, ascending, at most FIRINGS; fewer only when the schedule ends).
Invalid schedules, which Docket must refuse, follow with the reason.

How the expected firings are computed
-------------------------------------
dateutil expands the rule in naive wall-clock time: the same text with the TZID dropped is given to
rrulestr(..., forceset=True), which applies BYxxx expansion and limits, BYSETPOS, COUNT, UNTIL,
RDATE and EXDATE. Each naive result is then made an instant HERE, by RFC 5545's rule, rather than by
attaching the zone in dateutil:

  * a wall time that occurs once maps to its instant;
  * a repeated wall time (fall-back overlap) maps to its first occurrence: zoneinfo with fold=0;
  * a wall time that does not exist (spring-forward gap) maps with the UTC offset in force before
    the gap: 02:30 in New York on 2026-03-08 becomes 07:30Z (03:30 EDT).

dateutil with a zoneinfo dtstart would keep such a time as the nonexistent wall time 02:30 with
fold=0; it is not a time any clock showed, so the vectors spell out the RFC instant instead (the
script checks it against zoneinfo's arithmetic). Firings are identified by instant: two wall times
on one instant (02:30 and 03:30 on that day) fire once, and an EXDATE removes the instant it names.

Where Docket's reading of a rule differs from dateutil's, the texts are adapted so that both compute
the same schedule, and the generator avoids the constructs on which they disagree:

  * UNTIL=YYYYMMDD (date only) means "through the end of that local day" in Docket; dateutil takes it
    as midnight at the start of the day. dateutil is given UNTIL=YYYYMMDDT235959.
  * UNTIL=...Z is an instant. dateutil, expanding naive times, is given the equivalent wall time;
    the generator only picks UNTIL instants at least a day away from any offset change, where that
    wall time is unambiguous.
  * BYDAY mixing plain and ordinal weekdays (MO,1FR) is a union in RFC 5545 and Docket, but an
    intersection in dateutil (it yields nothing); the random rules never mix them.
  * BYWEEKNO: dateutil numbers the last week of the previous year, for the days of it that fall in
    early January, with this year's length instead of last year's (rrule.py, `lnumweeks`), so that in
    some years it gives those days week 53 where ISO 8601 says 52, or the reverse. Vectors whose
    firings would span such a January with 52 or 53 in BYWEEKNO are left out (see
    weekno_quirk_years); and -52 and -53, which dateutil does not match against week 1 of the next
    year, are never generated.
  * Docket refuses parts RFC 5545 forbids together (BYDAY ordinals with WEEKLY, BYMONTHDAY with
    WEEKLY, BYYEARDAY with DAILY/WEEKLY/MONTHLY, BYWEEKNO without YEARLY, BYSETPOS alone), and
    rules that never fire, even when RDATE times would (dateutil then yields the RDATE times
    alone); dateutil accepts some of them. They are among the invalid vectors.
"""

import calendar
import json
import os
import random
import signal
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

SEED = 20260101
RANDOM_RULES = int(os.environ.get("RANDOM_RULES", "3000"))
FIRINGS = 10
ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
UTC = timezone.utc
EPOCH = datetime(1970, 1, 1)
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
FREQS = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]


def basic(dt):
    return dt.strftime("%Y%m%dT%H%M%S")


def wall_seconds(naive):
    return int((naive - EPOCH).total_seconds())


def offset_at(zone, instant):
    return int(datetime.fromtimestamp(instant, zone).utcoffset().total_seconds())


def to_instant(naive, zone):
    """The RFC 5545 instant of a naive wall time in `zone` (see the module docstring)."""
    aware = naive.replace(tzinfo=zone, fold=0)
    instant = int(aware.timestamp())
    back = datetime.fromtimestamp(instant, zone).replace(tzinfo=None)
    if back == naive:
        return instant  # exists once, or first of two (fold=0)
    # In a gap: the offset before the gap is that of a wall time three hours earlier (no zone here
    # has two changes within three hours, and no gap longer than one hour).
    earlier = naive - timedelta(hours=3)
    before = int(earlier.replace(tzinfo=zone, fold=0).utcoffset().total_seconds())
    rfc = wall_seconds(naive) - before
    assert rfc == instant, (naive, zone, rfc, instant)
    return rfc


def transitions(zone, year):
    """UTC instants in `year` at which the zone's offset changes, to the second."""
    if zone.key in ("UTC", "Asia/Kolkata"):
        return []
    start = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    found = []
    t = start
    step = 6 * 3600
    previous = offset_at(zone, t)
    while t < end:
        n = t + step
        o = offset_at(zone, n)
        if o != previous:
            lo, hi = t, n
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset_at(zone, mid) == previous:
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
            previous = o
        t = n
    return found


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


signal.signal(signal.SIGALRM, _alarm)


def dateutil_text(dtstart, rule, rdates, exdates, zone):
    """The schedule as dateutil reads it: naive wall times, UNTIL adapted (module docstring)."""
    parts = []
    for part in rule.split(";"):
        name, value = part.split("=", 1)
        if name == "UNTIL":
            if value.endswith("Z"):
                instant = int(datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp())
                value = basic(datetime.fromtimestamp(instant, zone).replace(tzinfo=None))
            else:
                value = value + "T235959"
        parts.append(name + "=" + value)
    lines = ["DTSTART:" + basic(dtstart), "RRULE:" + ";".join(parts)]
    if rdates:
        lines.append("RDATE:" + ",".join(basic(d) for d in rdates))
    if exdates:
        lines.append("EXDATE:" + ",".join(basic(d) for d in exdates))
    return "\n".join(lines)


def docket_text(dtstart, rule, rdates, exdates, zone_name, utc_start):
    if utc_start:
        lines = ["DTSTART:" + basic(dtstart) + "Z", "RRULE:" + rule]
        suffix = "Z"
        param = ""
    else:
        lines = ["DTSTART;TZID=" + zone_name + ":" + basic(dtstart), "RRULE:" + rule]
        suffix = ""
        param = ";TZID=" + zone_name
    if rdates:
        lines.append("RDATE" + param + ":" + ",".join(basic(d) + suffix for d in rdates))
    if exdates:
        lines.append("EXDATE" + param + ":" + ",".join(basic(d) + suffix for d in exdates))
    return "\n".join(lines)


def expected_firings(dtstart, rule, rdates, exdates, zone, after, seconds=20):
    """The first FIRINGS instants after `after`, or None when dateutil takes too long."""
    text = dateutil_text(dtstart, rule, rdates, exdates, zone)
    excluded = {to_instant(d, zone) for d in exdates}
    found = set()
    signal.alarm(seconds)
    try:
        for naive in rrulestr(text, forceset=True):
            instant = to_instant(naive, zone)
            if instant > after and instant not in excluded:
                found.add(instant)
            if len(found) >= FIRINGS:
                # Later wall times are at least 14 hours (the largest offset) before their instant.
                tenth = sorted(found)[FIRINGS - 1]
                if wall_seconds(naive) - 14 * 3600 > tenth:
                    break
    except Timeout:
        return None
    except ValueError as error:
        # dateutil refuses sub-daily rules whose BYxxx values the interval can never reach.
        return "refused: %s" % error
    finally:
        signal.alarm(0)
    return sorted(found)[:FIRINGS]


# MARK: dateutil's BYWEEKNO quirk


def first_week_start(year, wkst):
    """The first day of week 1 of `year`, weeks starting on `wkst` (0 = Monday): ISO 8601's rule."""
    january1 = date(year, 1, 1)
    into = (january1.weekday() - wkst) % 7
    return january1 - timedelta(days=into) + timedelta(days=0 if into <= 3 else 7)


def weeks_in(year, wkst):
    return (first_week_start(year + 1, wkst) - first_week_start(year, wkst)).days // 7


def dateutil_last_year_weeks(year, wkst):
    """rrule.py's `lnumweeks` for `year` (its count of the weeks of year - 1), or None when unused."""
    yearweekday = date(year, 1, 1).weekday()
    yearlen = 366 if calendar.isleap(year) else 365
    no1wkst = (7 - yearweekday + wkst) % 7
    if no1wkst >= 4:
        return None  # week 1 starts on 1 January or earlier: no days of last year's last week
    lyearweekday = date(year - 1, 1, 1).weekday()
    lno1wkst = (7 - lyearweekday + wkst) % 7
    lyearlen = 366 if calendar.isleap(year - 1) else 365
    if lno1wkst >= 4:
        return 52 + (lyearlen + (lyearweekday - wkst) % 7) % 7 // 4
    return 52 + (yearlen - no1wkst) % 7 // 4


def weekno_quirk_years(wkst):
    """Years whose early-January days dateutil gives the wrong week number (module docstring)."""
    return {y for y in range(1990, 2100)
            if dateutil_last_year_weeks(y, wkst) not in (None, weeks_in(y - 1, wkst))}


# The ISO rule above, checked against Python's own ISO calendar for weeks starting on Monday.
for _y in range(1990, 2100):
    assert weeks_in(_y, 0) == date(_y, 12, 28).isocalendar()[1], _y


def hits_weekno_quirk(rule, after, firings):
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    if "BYWEEKNO" not in parts:
        return False
    if not {52, 53} & {abs(int(v)) for v in parts["BYWEEKNO"].split(",")}:
        return False
    wkst = WEEKDAYS.index(parts.get("WKST", "MO"))
    # A wrong week in the window shows among the firings, or as one missing before the last; when
    # the schedule ended early, up to its UNTIL.
    first = datetime.fromtimestamp(after, UTC).year
    last = datetime.fromtimestamp(firings[-1], UTC).year
    if len(firings) < FIRINGS:
        last = int(parts["UNTIL"][:4]) if "UNTIL" in parts else last + 1
    return any(first <= y <= last for y in weekno_quirk_years(wkst))


# MARK: Random rules


def random_dtstart(rng, zone):
    year = rng.randint(2026, 2030)
    marks = transitions(zone, year)
    if marks and rng.random() < 0.25:
        # A wall time in or next to a gap or an overlap: from an hour before the change's wall time.
        mark = rng.choice(marks)
        before = offset_at(zone, mark - 1)
        wall = datetime.fromtimestamp(mark + before, UTC).replace(tzinfo=None)
        wall += timedelta(minutes=rng.choice([-60, -30, -15, 0, 15, 30, 45, 60, 90]))
        return wall.replace(second=rng.choice([0, 0, 0, 30]))
    day = datetime(year, 1, 1) + timedelta(days=rng.randrange(365))
    return day.replace(hour=rng.randrange(24), minute=rng.choice([0, 0, 15, 30, 45, rng.randrange(60)]),
                       second=rng.choice([0, 0, 0, rng.randrange(60)]))


def sample(rng, values, low, high):
    return sorted(rng.sample(values, rng.randint(low, min(high, len(values)))))


def joined(values):
    return ",".join(str(v) for v in values)


def random_rule(rng, dtstart):
    freq = rng.choices(FREQS, weights=[4, 6, 8, 14, 14, 16, 16])[0]
    parts = ["FREQ=" + freq]
    fi = FREQS.index(freq)
    if rng.random() < 0.45:
        parts.append("INTERVAL=%d" % rng.choice([2, 2, 3, 4, 5, 7, 10, 15]))
    ordinal_ok = freq in ("MONTHLY", "YEARLY")
    has_weekno = freq == "YEARLY" and rng.random() < 0.15
    has_month = rng.random() < (0.4 if fi >= 5 else 0.15)
    p = lambda x: rng.random() < x
    if p(0.25 if fi >= 1 else 0.35):
        parts.append("BYSECOND=" + joined(sample(rng, list(range(60)), 1, 3 if fi > 0 else 20)))
    if fi >= 1 and p(0.3) or fi == 0 and p(0.3):
        parts.append("BYMINUTE=" + joined(sample(rng, list(range(60)), 1, 4 if fi > 1 else 30)))
    if p(0.4 if fi >= 3 else 0.3):
        parts.append("BYHOUR=" + joined(sample(rng, list(range(24)), 1, 4 if fi > 2 else 12)))
    if p(0.45):
        if ordinal_ok and not has_weekno and p(0.5):
            limit = 5 if (freq == "MONTHLY" or has_month) else 53
            entries = set()
            for _ in range(rng.randint(1, 3)):
                n = rng.choice([1, 2, 3, 4, -1, -2, rng.randint(1, limit), -rng.randint(1, limit)])
                entries.add("%d%s" % (n, rng.choice(WEEKDAYS)))
            parts.append("BYDAY=" + ",".join(sorted(entries)))
        else:
            parts.append("BYDAY=" + ",".join(sample(rng, WEEKDAYS, 1, 5)))
    if freq != "WEEKLY" and p(0.3 if fi >= 5 else 0.12):
        values = sample(rng, list(range(1, 32)) + list(range(-31, 0)), 1, 4)
        parts.append("BYMONTHDAY=" + joined(values))
    if freq in ("YEARLY", "HOURLY", "MINUTELY", "SECONDLY") and p(0.15 if freq == "YEARLY" else 0.05):
        values = sample(rng, list(range(1, 367)) + list(range(-366, 0)), 1, 5 if freq == "YEARLY" else 60)
        parts.append("BYYEARDAY=" + joined(values))
    if has_weekno:
        # Not -52 or -53: dateutil misses those when they name week 1 of the next year.
        parts.append("BYWEEKNO=" + joined(sample(rng, list(range(1, 54)) + list(range(-51, 0)), 1, 4)))
    if has_month:
        parts.append("BYMONTH=" + joined(sample(rng, list(range(1, 13)), 1, 4)))
    if len(parts) > 1 and any(x.startswith("BY") for x in parts) and p(0.2):
        parts.append("BYSETPOS=" + joined(sorted(set(rng.choice([1, 2, -1, -2, 3]) for _ in range(rng.randint(1, 2))))))
    if p(0.2):
        parts.append("WKST=" + rng.choice(WEEKDAYS))
    return parts


def after_for(rng, freq, dtstart, zone):
    span = {"SECONDLY": 2 * 3600, "MINUTELY": 3 * 86400, "HOURLY": 120 * 86400, "DAILY": 900 * 86400,
            "WEEKLY": 1500 * 86400, "MONTHLY": 1800 * 86400, "YEARLY": 1800 * 86400}[freq]
    start = to_instant(dtstart, zone)
    return start + rng.randint(-span // 20, span)


def far_from_transitions(zone, instant):
    return offset_at(zone, instant - 86400) == offset_at(zone, instant) == offset_at(zone, instant + 86400)


def random_case(rng, index):
    zone_name = rng.choice(ZONES)
    zone = ZoneInfo(zone_name)
    dtstart = random_dtstart(rng, zone)
    parts = random_rule(rng, dtstart)
    freq = parts[0][5:]
    after = after_for(rng, freq, dtstart, zone)
    ending = rng.random()
    if ending < 0.15:
        parts.append("COUNT=%d" % rng.randint(1, 40))
    elif ending < 0.3:
        # UNTIL, as an instant or a date, somewhere after `after`.
        until = after + rng.randint(0, {"SECONDLY": 600, "MINUTELY": 36000}.get(freq, 400 * 86400))
        if rng.random() < 0.5:
            while not far_from_transitions(zone, until):
                until += 86400 * 3
            parts.append("UNTIL=" + datetime.fromtimestamp(until, UTC).strftime("%Y%m%dT%H%M%SZ"))
        else:
            parts.append("UNTIL=" + datetime.fromtimestamp(until, UTC).strftime("%Y%m%d"))
    rdates, exdates = [], []
    if rng.random() < 0.1:
        rdates = sorted({datetime.fromtimestamp(after + rng.randint(0, 40 * 86400), UTC).replace(tzinfo=None, microsecond=0)
                         for _ in range(rng.randint(1, 3))})
    rule = ";".join(parts)
    utc_start = zone_name == "UTC" and rng.random() < 0.5
    if rng.random() < 0.1:
        # Exclude some of the occurrences themselves, as an EXDATE is meant to.
        firings = expected_firings(dtstart, rule, rdates, [], zone, after, seconds=5)
        if isinstance(firings, list) and firings:
            chosen = rng.sample(firings, min(len(firings), rng.randint(1, 2)))
            exdates = sorted(datetime.fromtimestamp(t, zone).replace(tzinfo=None) for t in chosen)
    firings = expected_firings(dtstart, rule, rdates, exdates, zone, after, seconds=5)
    if rdates and isinstance(firings, list):
        # Docket refuses a rule that never fires even when RDATE times would; dateutil yields the
        # RDATE times alone. Such a rule becomes an invalid vector; one that fires, but only after
        # its UNTIL, is left out (Docket refuses it only when that is certain in every zone).
        bare = ";".join(p for p in rule.split(";") if not p.startswith("UNTIL="))
        alone = expected_firings(dtstart, bare, [], [], zone, to_instant(dtstart, zone) - 1, seconds=5)
        if alone is None:
            return None
        if isinstance(alone, str):
            firings = alone
        elif not alone:
            firings = "accepts, but the RRULE alone yields nothing"
        elif bare != rule and not expected_firings(dtstart, rule, [], [], zone, to_instant(dtstart, zone) - 1, seconds=5):
            return None
    if isinstance(firings, str):
        # A rule that can never fire: Docket must refuse it too.
        return {"name": "random %d" % index, "text": docket_text(dtstart, rule, rdates, exdates, zone_name, utc_start),
                "dateutil": firings}
    if not firings:
        return None  # dateutil too slow, or nothing after `after`: not a useful vector
    if hits_weekno_quirk(rule, after, firings):
        return None
    return {
        "name": "random %d" % index,
        "text": docket_text(dtstart, rule, rdates, exdates, zone_name, utc_start),
        "zone": zone_name,
        "after": after,
        "firings": firings,
    }


# MARK: Named cases

NY, LONDON, LORD_HOWE, KOLKATA = "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"

# (name, zone, dtstart, rule, rdates, exdates, after as an ISO 8601 Z string, or None for DTSTART - 1 s)
NAMED = [
    ("BYSECOND", "UTC", "20260101T000000", "FREQ=MINUTELY;BYSECOND=0,30", [], [], None),
    ("BYMINUTE", KOLKATA, "20260101T080000", "FREQ=HOURLY;BYMINUTE=0,15,30,45", [], [], None),
    ("BYHOUR", LONDON, "20260101T090000", "FREQ=DAILY;BYHOUR=9,17", [], [], None),
    ("BYDAY weekly", NY, "20260105T090000", "FREQ=WEEKLY;BYDAY=MO,WE,FR", [], [], None),
    ("BYMONTHDAY with negatives", NY, "20260101T090000", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1", [], [], None),
    ("BYYEARDAY with negatives", LONDON, "20260101T120000", "FREQ=YEARLY;BYYEARDAY=1,100,-1,-306", [], [], None),
    ("BYWEEKNO with BYDAY", LONDON, "20260101T120000", "FREQ=YEARLY;BYWEEKNO=1,20,-1;BYDAY=MO", [], [], None),
    ("BYWEEKNO=1 whole week", NY, "20260101T090000", "FREQ=YEARLY;BYWEEKNO=1", [], [], None),
    ("BYWEEKNO=1 WKST=SU", NY, "20260101T090000", "FREQ=YEARLY;BYWEEKNO=1;WKST=SU;BYDAY=SU,SA", [], [], None),
    ("BYWEEKNO=53", NY, "20260101T090000", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO,SU;UNTIL=20381231T000000Z", [], [], None),
    ("BYWEEKNO=-1 WKST=SU", KOLKATA, "20260101T090000", "FREQ=YEARLY;BYWEEKNO=-1;WKST=SU;BYDAY=SU,MO,SA", [], [], None),
    ("BYMONTH with BYMONTHDAY", NY, "20260101T090000", "FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=4", [], [], None),
    ("last Friday of the month", NY, "20260101T170000", "FREQ=MONTHLY;BYDAY=-1FR", [], [], None),
    ("first Monday and last Sunday", LONDON, "20260101T100000", "FREQ=MONTHLY;BYDAY=1MO,-1SU", [], [], None),
    ("last Sunday of March", LONDON, "20260101T010000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", [], [], None),
    ("20th Monday of the year", NY, "20260101T090000", "FREQ=YEARLY;BYDAY=20MO", [], [], None),
    ("second-to-last Thursday of the year", NY, "20260101T090000", "FREQ=YEARLY;BYDAY=-2TH", [], [], None),
    ("last weekday of the month", NY, "20260101T180000", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", [], [], None),
    ("first and last weekday", LONDON, "20260101T090000", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1", [], [], None),
    ("third instance of several", NY, "20260101T090000", "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", [], [], None),
    ("BYSETPOS over times", LONDON, "20260101T090000", "FREQ=DAILY;BYHOUR=9,12,15;BYMINUTE=0,30;BYSETPOS=2,-1", [], [], None),
    ("29 February yearly", NY, "20280229T090000", "FREQ=YEARLY", [], [], None),
    ("29 February yearly, far", NY, "20280229T090000", "FREQ=YEARLY", [], [], "2029-01-01T00:00:00Z"),
    ("31st monthly", LONDON, "20260131T090000", "FREQ=MONTHLY", [], [], None),
    ("31st monthly BYMONTHDAY", NY, "20260101T090000", "FREQ=MONTHLY;BYMONTHDAY=31", [], [], None),
    ("last day of February", NY, "20260101T090000", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", [], [], None),
    ("COUNT", NY, "20260101T090000", "FREQ=DAILY;COUNT=5", [], [], None),
    ("COUNT after some", NY, "20260101T090000", "FREQ=DAILY;COUNT=8", [], [], "2026-01-04T00:00:00Z"),
    ("COUNT with BYDAY", LONDON, "20260101T090000", "FREQ=WEEKLY;COUNT=10;BYDAY=TU,TH", [], [], "2026-01-20T00:00:00Z"),
    ("UNTIL instant inclusive", NY, "20260101T090000", "FREQ=DAILY;UNTIL=20260106T140000Z", [], [], None),
    ("UNTIL instant, one second short", NY, "20260101T090000", "FREQ=DAILY;UNTIL=20260106T135959Z", [], [], None),
    ("UNTIL date", LONDON, "20260101T090000", "FREQ=DAILY;UNTIL=20260105", [], [], None),
    ("UNTIL date monthly", NY, "20260115T230000", "FREQ=MONTHLY;UNTIL=20260615", [], [], None),
    ("RDATE and EXDATE", NY, "20260105T090000", "FREQ=WEEKLY;BYDAY=MO",
     ["20260107T120000", "20260110T080000"], ["20260112T090000"], None),
    ("RDATE beyond COUNT", LONDON, "20260101T090000", "FREQ=DAILY;COUNT=3", ["20260201T090000"], [], None),
    ("EXDATE on an RDATE", LONDON, "20260101T090000", "FREQ=DAILY;COUNT=3", ["20260201T090000", "20260202T090000"],
     ["20260201T090000"], None),
    ("DTSTART not matching", NY, "20260101T090000", "FREQ=WEEKLY;BYDAY=MO", [], [], None),
    ("DTSTART not matching, COUNT", NY, "20260101T090000", "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", [], [], None),
    ("gap daily New York", NY, "20260307T023000", "FREQ=DAILY", [], [], None),
    ("gap start New York", NY, "20260308T023000", "FREQ=DAILY;COUNT=3", [], [], None),
    ("gap hourly New York", NY, "20260308T000000", "FREQ=HOURLY", [], [], None),
    ("gap every 30 minutes New York", NY, "20260308T010000", "FREQ=MINUTELY;INTERVAL=30", [], [], None),
    ("gap daily London", LONDON, "20260328T013000", "FREQ=DAILY", [], [], None),
    ("gap daily Lord Howe", LORD_HOWE, "20261003T021500", "FREQ=DAILY", [], [], None),
    ("gap every 15 minutes Lord Howe", LORD_HOWE, "20261004T013000", "FREQ=MINUTELY;INTERVAL=15", [], [], None),
    ("overlap daily New York", NY, "20261031T013000", "FREQ=DAILY", [], [], None),
    ("overlap hourly New York", NY, "20261101T000000", "FREQ=HOURLY", [], [], None),
    ("overlap every 20 minutes London", LONDON, "20261025T003000", "FREQ=MINUTELY;INTERVAL=20", [], [], None),
    ("overlap daily Lord Howe", LORD_HOWE, "20260404T014500", "FREQ=DAILY", [], [], None),
    ("overlap every 10 minutes Lord Howe", LORD_HOWE, "20260405T012000", "FREQ=MINUTELY;INTERVAL=10", [], [], None),
    ("Kolkata half-hour offset", KOLKATA, "20260101T093000", "FREQ=WEEKLY;BYDAY=MO,TH", [], [], None),
    ("weekly every other week WKST=MO", NY, "19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", [], [], None),
    ("weekly every other week WKST=SU", NY, "19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", [], [], None),
    ("Friday the 13th", NY, "20260101T090000", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", [], [], None),
    ("US election day", NY, "20260101T090000", "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", [], [], None),
    ("every 20 minutes 9 to 16:40", NY, "20260105T090000", "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16", [], [], None),
    ("every 5 hours, some hours", LONDON, "20260101T000000", "FREQ=HOURLY;INTERVAL=5;BYHOUR=5,10,15,20", [], [], None),
    ("hourly on BYYEARDAY", NY, "20260101T000000", "FREQ=HOURLY;INTERVAL=7;BYYEARDAY=-1,60", [], [], None),
    ("secondly with BYMINUTE", "UTC", "20260101T000000", "FREQ=SECONDLY;INTERVAL=13;BYMINUTE=0,30;BYSECOND=1,2,3,4,5,6,7", [], [], None),
    ("minutely years later", NY, "20260101T000000", "FREQ=MINUTELY;INTERVAL=7", [], [], "2029-06-01T12:34:56Z"),
    ("secondly days later", LONDON, "20260101T000000", "FREQ=SECONDLY;INTERVAL=11", [], [], "2026-01-03T12:00:00Z"),
    ("hourly years later", LORD_HOWE, "20260101T003000", "FREQ=HOURLY;INTERVAL=5", [], [], "2029-10-07T15:00:00Z"),
    ("daily years later with COUNT", NY, "20260101T090000", "FREQ=DAILY;COUNT=1500", [], [], "2030-01-28T00:00:00Z"),
    ("UTC start", "UTC", "20260101T090000", "FREQ=DAILY;BYHOUR=9,21", [], [], None),
]


def iso_to_instant(text):
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def named_case(name, zone_name, start, rule, rdates, exdates, after_text):
    zone = ZoneInfo(zone_name)
    dtstart = datetime.strptime(start, "%Y%m%dT%H%M%S")
    rds = [datetime.strptime(d, "%Y%m%dT%H%M%S") for d in rdates]
    exs = [datetime.strptime(d, "%Y%m%dT%H%M%S") for d in exdates]
    after = iso_to_instant(after_text) if after_text else to_instant(dtstart, zone) - 1
    firings = expected_firings(dtstart, rule, rds, exs, zone, after, seconds=600)
    assert isinstance(firings, list) and firings, name
    assert not hits_weekno_quirk(rule, after, firings), name
    case = {"name": name, "text": docket_text(dtstart, rule, rds, exs, zone_name, zone_name == "UTC" and name == "UTC start"),
            "zone": zone_name, "after": after_text or after, "firings": firings}
    return case


# MARK: Invalid schedules

START = "DTSTART;TZID=America/New_York:20260101T090000\n"
INVALID = [
    ("COUNT with UNTIL", START + "RRULE:FREQ=DAILY;COUNT=5;UNTIL=20261231T000000Z"),
    ("ordinal with WEEKLY", START + "RRULE:FREQ=WEEKLY;BYDAY=1MO"),
    ("ordinal with DAILY", START + "RRULE:FREQ=DAILY;BYDAY=-1FR"),
    ("ordinal with BYWEEKNO", START + "RRULE:FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO"),
    ("sixth Monday of a month", START + "RRULE:FREQ=MONTHLY;BYDAY=6MO"),
    ("ordinal 54", START + "RRULE:FREQ=YEARLY;BYDAY=54MO"),
    ("BYWEEKNO with MONTHLY", START + "RRULE:FREQ=MONTHLY;BYWEEKNO=1"),
    ("BYMONTHDAY with WEEKLY", START + "RRULE:FREQ=WEEKLY;BYMONTHDAY=1"),
    ("BYYEARDAY with MONTHLY", START + "RRULE:FREQ=MONTHLY;BYYEARDAY=1"),
    ("BYYEARDAY with DAILY", START + "RRULE:FREQ=DAILY;BYYEARDAY=1"),
    ("BYSETPOS alone", START + "RRULE:FREQ=MONTHLY;BYSETPOS=1"),
    ("BYHOUR=24", START + "RRULE:FREQ=DAILY;BYHOUR=24"),
    ("BYMINUTE=60", START + "RRULE:FREQ=DAILY;BYMINUTE=60"),
    ("BYSECOND=60", START + "RRULE:FREQ=DAILY;BYSECOND=60"),
    ("BYMONTH=13", START + "RRULE:FREQ=YEARLY;BYMONTH=13"),
    ("BYMONTH=0", START + "RRULE:FREQ=YEARLY;BYMONTH=0"),
    ("BYMONTHDAY=32", START + "RRULE:FREQ=MONTHLY;BYMONTHDAY=32"),
    ("BYMONTHDAY=0", START + "RRULE:FREQ=MONTHLY;BYMONTHDAY=0"),
    ("BYMONTHDAY=-32", START + "RRULE:FREQ=MONTHLY;BYMONTHDAY=-32"),
    ("BYYEARDAY=367", START + "RRULE:FREQ=YEARLY;BYYEARDAY=367"),
    ("BYWEEKNO=54", START + "RRULE:FREQ=YEARLY;BYWEEKNO=54"),
    ("BYWEEKNO=0", START + "RRULE:FREQ=YEARLY;BYWEEKNO=0"),
    ("BYSETPOS=0", START + "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0"),
    ("BYSETPOS=367", START + "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367"),
    ("unknown frequency", START + "RRULE:FREQ=FORTNIGHTLY"),
    ("FREQ missing", START + "RRULE:INTERVAL=2"),
    ("INTERVAL=0", START + "RRULE:FREQ=DAILY;INTERVAL=0"),
    ("INTERVAL negative", START + "RRULE:FREQ=DAILY;INTERVAL=-1"),
    ("INTERVAL huge", START + "RRULE:FREQ=DAILY;INTERVAL=99999999999999999999999999"),
    ("COUNT=0", START + "RRULE:FREQ=DAILY;COUNT=0"),
    ("COUNT not a number", START + "RRULE:FREQ=DAILY;COUNT=five"),
    ("unknown part", START + "RRULE:FREQ=DAILY;FOO=1"),
    ("BYEASTER", START + "RRULE:FREQ=YEARLY;BYEASTER=0"),
    ("empty part", START + "RRULE:FREQ=DAILY;;INTERVAL=2"),
    ("trailing semicolon", START + "RRULE:FREQ=DAILY;"),
    ("part twice", START + "RRULE:FREQ=DAILY;INTERVAL=2;INTERVAL=3"),
    ("part without value", START + "RRULE:FREQ=DAILY;INTERVAL="),
    ("part without equals", START + "RRULE:FREQ=DAILY;INTERVAL"),
    ("empty list item", START + "RRULE:FREQ=DAILY;BYHOUR=9,,17"),
    ("floating UNTIL", START + "RRULE:FREQ=DAILY;UNTIL=20261231T000000"),
    ("UNTIL not a date", START + "RRULE:FREQ=DAILY;UNTIL=20260230T000000Z"),
    ("UNTIL malformed", START + "RRULE:FREQ=DAILY;UNTIL=2026-12-31"),
    ("UNTIL before DTSTART", START + "RRULE:FREQ=DAILY;UNTIL=20251231T000000Z"),
    ("February 30", START + "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
    ("April 31", START + "RRULE:FREQ=YEARLY;BYMONTH=4,6,9,11;BYMONTHDAY=31,-31"),
    ("never fires: INTERVAL against BYDAY", START + "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=FR"),
    ("never fires: BYSECOND against INTERVAL", START + "RRULE:FREQ=SECONDLY;INTERVAL=2;BYSECOND=1,3,5"),
    ("never fires: BYSETPOS beyond the set", START + "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,2;BYSETPOS=3"),
    ("never fires: BYHOUR against INTERVAL", START + "RRULE:FREQ=HOURLY;INTERVAL=6;BYHOUR=10,11"),
    ("unknown weekday", START + "RRULE:FREQ=WEEKLY;BYDAY=XX"),
    ("unknown WKST", START + "RRULE:FREQ=WEEKLY;WKST=MONDAY"),
    ("empty", ""),
    ("DTSTART missing", "RRULE:FREQ=DAILY"),
    ("RRULE missing", "DTSTART:20260101T090000"),
    ("two RRULEs", START + "RRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY"),
    ("two DTSTARTs", START + START + "RRULE:FREQ=DAILY"),
    ("EXRULE", START + "RRULE:FREQ=DAILY\nEXRULE:FREQ=WEEKLY"),
    ("unknown line", START + "RRULE:FREQ=DAILY\nDURATION:PT1H"),
    ("DTSTART not a date", "DTSTART:20260230T090000\nRRULE:FREQ=DAILY"),
    ("DTSTART hour 24", "DTSTART:20260101T240000\nRRULE:FREQ=DAILY"),
    ("DTSTART date only", "DTSTART;VALUE=DATE:20260101\nRRULE:FREQ=DAILY"),
    ("DTSTART Z with TZID", "DTSTART;TZID=Europe/London:20260101T090000Z\nRRULE:FREQ=DAILY"),
    ("DTSTART unknown parameter", "DTSTART;X-FOO=1:20260101T090000\nRRULE:FREQ=DAILY"),
    ("RDATE in another zone", START + "RRULE:FREQ=DAILY\nRDATE;TZID=Europe/London:20260105T090000"),
    ("RDATE malformed", START + "RRULE:FREQ=DAILY\nRDATE:20260105"),
    ("EXDATE empty item", START + "RRULE:FREQ=DAILY\nEXDATE:20260105T090000,"),
]


def dateutil_refuses(text):
    """What dateutil does with the text (with the TZID dropped, as it would need tzinfos)."""
    plain = text.replace(";TZID=America/New_York", "")
    signal.alarm(5)
    try:
        first = next(iter(rrulestr(plain, forceset=True)), None)
        return "accepts, yields nothing" if first is None else "accepts"
    except Timeout:
        return "accepts, no answer within 5 s"
    except Exception:
        return "refuses"
    finally:
        signal.alarm(0)


def main():
    rng = random.Random(SEED)
    vectors = [named_case(*case) for case in NAMED]
    index = 0
    invalid = [{"name": name, "text": text, "dateutil": dateutil_refuses(text)} for name, text in INVALID]
    while len(vectors) < len(NAMED) + RANDOM_RULES:
        case = random_case(rng, index)
        index += 1
        if case is None:
            continue
        (invalid if "dateutil" in case else vectors).append(case)
    data = {
        "generator": "Tests/ReferenceData/make-rrule-vectors.py",
        "dateutil": __import__("dateutil").__version__,
        "seed": SEED,
        "firingsPerVector": FIRINGS,
        "vectors": vectors,
        "invalid": invalid,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rrule-vectors.json")
    # One vector a line, so that a regenerated file diffs readably.
    def lines(items):
        return ",\n".join(json.dumps(item, separators=(",", ":")) for item in items)
    header = {k: v for k, v in data.items() if k not in ("vectors", "invalid")}
    with open(path, "w") as out:
        out.write(json.dumps(header, separators=(",", ":"))[:-1])
        out.write(',\n"vectors":[\n' + lines(vectors) + '\n],\n"invalid":[\n' + lines(invalid) + "\n]}\n")
    print("%d vectors (%d named), %d invalid, %d random rules tried -> %s"
          % (len(vectors), len(NAMED), len(invalid), index, path), file=sys.stderr)


if __name__ == "__main__":
    main()
