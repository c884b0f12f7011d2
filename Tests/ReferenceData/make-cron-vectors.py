#!/usr/bin/env python3
"""Generates cron-vectors.json: reference firings of cron expressions computed by cronsim.

cronsim (https://github.com/cuu508/cronsim, `pip install cronsim`) is an independent implementation
that reproduces Debian cron, daylight-saving quirks included. Docket's cron is checked against this
file by Tests/DocketTests/Recurrence/CronReferenceTests.swift. Run once and commit the output:

    pip install cronsim==2.9
    python3 Tests/ReferenceData/make-cron-vectors.py > Tests/ReferenceData/cron-vectors.json

The output is deterministic for a given cronsim version and tzdata (the random generator is seeded).

Each vector is an expression, a zone, a start instant and the firings strictly after it, all as
seconds since 1970 UTC. Where cronsim and Docket differ on purpose, this script says so:

- A start instant inside the second run of a repeated hour (EST after a fall-back) can make cronsim
  return, first, a wall time whose first occurrence (EDT) lies before the start: cronsim searches
  naive wall times from the start's wall time. Docket's next firing is strictly after the start, so
  firings at or before the start are dropped here.
- cronsim gives up after 50 years without a match; such expressions are listed in "cronsimGaveUp"
  instead of the vectors. The generated ones all can never fire (`3 * */15 9 7#5`: days 1, 16 and
  31 are never a fifth Sunday of September), and Docket must refuse them when parsed.
- With `*` in the minute or hour field, cronsim fires at every instant whose wall-clock time
  matches, and so does Docket. Across Lord Howe Island's 30-minute shifts, though, cronsim steps
  hours from a time now on the half hour (`advance_hour` adds 3600 s to 01:00 and lands on 02:30)
  and misses wall times that occur exactly once: `*/20 2 * * *` skips 02:00 and 02:20 on the day
  clocks go back. Each such vector is checked here against the same rule computed one stretch of
  constant offset at a time (`piecewise_firings`, cronsim on a fixed offset); where they differ,
  the vector keeps the piecewise firings and records cronsim's own under "cronsim". A difference in
  any other zone stops the script.
- Syntax cronsim does not know is not fed to it: macros (@daily...) are expanded here first and
  recorded under their own name; `?`, and day names before L (FRIL), are tested in Swift instead.
- Expressions that cronsim accepts but that can never fire (`0 0 */31 * MON#5`: day 1 is never a
  fifth Monday), and cronsim's six-field form with seconds, are refused by Docket when parsed;
  they are listed in "refusedByDocketOnly".
"""

import json
import random
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import cronsim
from cronsim import CronSim, CronSimError

SEED = 20260307
FIRINGS = 10
ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
YEARS = range(2026, 2031)
UTC = timezone.utc

MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

NAMED = [
    "30 2 * * *", "30 1 * * *", "*/30 * * * *", "0 0 29 2 *", "0 0 31 * *", "0 12 1 * MON",
    "0 0 L * *", "0 9 * * 5L", "0 9 * * MON#1",
    # More daylight-saving shapes: every quarter hour, hourly, a fixed hour with a free minute, two
    # fixed hours, the half-hour shifts of Lord Howe, London's 01:00 gap.
    "*/15 * * * *", "0 * * * *", "*/20 2 * * *", "* 1 * * *", "0 1,2,3 * * *", "15 2 * * *",
    "45 1 * * *", "0,30 1-3 * * *", "0 */2 * * *", "30 2 8 3 *", "0 2 * * SUN",
    "0 0 * * *", "59 23 31 12 *", "0 0 1 1 *", "0 9 * * 1-5", "0 12 * * 0,7", "0 0 LW * *",
    "0 0 1,15 * FRI", "0 6 * JAN-MAR/2 MON#2,5L", "*/5 1 1 11 *", "0 0 29 2 MON",
] + sorted(MACROS)

INVALID = [
    "", "* * * *", "* * * * * * *", "60 * * * *", "-1 * * * *", "* 24 * * *",
    "* * 0 * *", "* * 32 * *", "* * * 0 *", "* * * 13 *", "* * * * 8", "0 0 30 2 *", "0 0 31 4 *",
    "0 0 31 2,4,6,9,11 *", "0 0 30,31 2 *", "5-1 * * * *", "* * * DEC-JAN *", "* * * * FRI-MON",
    "*/0 * * * *", "1-5/0 * * * *", "1,,2 * * * *", ",1 * * * *", "1, * * * *", "a * * * *",
    "* * * FOO *", "* * * * FOO", "* * * * MONDAY", "* * * JANUARY *", "1.5 * * * *", "+1 * * * *",
    "1-* * * * *", "*-5 * * * *", "*/ * * * *", "/5 * * * *", "1/ * * * *", "1-2-3 * * * *",
    "* * L * L", "* * * * L", "* * * * 8L", "* * * * 1#0", "* * * * 1#6", "* * * * #1",
    "* * * * 1#", "* * * * 8#1", "* * * * *#1", "* * 1L * *", "* * L-3 * *", "* * * L *",
    "L * * * *", "* L * * *", "* * * * MON-", "* * * * -MON", "* * * * 1-5L", "0 0 * * MON#1-2",
    "* * * JAN-FOO *", "99999999999999999999 * * * *", "* * * * */", "* */24x * * *",
]

# Expressions Docket refuses while cronsim accepts them: six fields (cronsim's optional seconds
# field; Docket's resolution is the minute), and expressions that can never fire.
REFUSED_BY_DOCKET_ONLY = ["* * * * * *", "0 0 */31 * MON#5", "0 0 */8 * MON#5", "0 0 */30 4 SUN#5"]


def transitions(zone, year):
    """The UTC instants in `year` at which `zone` changes offset, found by a search on offsets."""
    tz = ZoneInfo(zone)
    start = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())

    def offset(t):
        return datetime.fromtimestamp(t, UTC).astimezone(tz).utcoffset()

    found = []
    t = start
    while t < end:
        if offset(t) != offset(t + 3600):
            low, high = t, t + 3600
            while high - low > 1:
                mid = (low + high) // 2
                if offset(mid) == offset(low):
                    low = mid
                else:
                    high = mid
            found.append(high)
        t += 3600
    return found


def firings(expr, zone, start):
    """The first FIRINGS firings strictly after `start`, or None when cronsim gives up first."""
    tz = ZoneInfo(zone)
    it = CronSim(MACROS.get(expr, expr), datetime.fromtimestamp(start, UTC).astimezone(tz))
    result = []
    try:
        while len(result) < FIRINGS:
            t = int(next(it).timestamp())
            if t > start:  # see the module comment: strictly after the start
                result.append(t)
    except StopIteration:
        return None
    return result


def real_time_spacing(expr):
    """Whether the minute or the hour field starts with `*`: cronsim then ticks in real time."""
    fields = MACROS.get(expr, expr).split()
    return fields[0].startswith("*") or fields[1].startswith("*")


def piecewise_firings(expr, zone, start, transitions):
    """The real-time firings, computed one stretch of constant offset at a time.

    Within a stretch the zone is a fixed offset, where cronsim's field matching has no daylight
    saving to handle; a firing is kept if it falls before the stretch ends. This is the rule cronsim
    follows for expressions with `*` in the minute or hour field, computed without its per-hour
    stepping across a transition.
    """
    tz = ZoneInfo(zone)
    result = []
    begin = start + 1
    while len(result) < FIRINGS:
        offset = datetime.fromtimestamp(begin, UTC).astimezone(tz).utcoffset()
        end = next((t for t in transitions if t > begin), None)
        fixed = timezone(offset)
        it = CronSim(MACROS.get(expr, expr), datetime.fromtimestamp(begin - 1, UTC).astimezone(fixed))
        try:
            while len(result) < FIRINGS:
                t = int(next(it).timestamp())
                if end is not None and t >= end:
                    break
                result.append(t)
        except StopIteration:
            return None
        if end is None:
            break
        begin = end
    return result


def rand_value(rng, low, high, names=None, lower=False):
    if names and rng.random() < 0.4:
        name = names[rng.randrange(len(names))]
        return name.lower() if lower and rng.random() < 0.3 else name
    return str(rng.randint(low, high))


def rand_term(rng, low, high, names=None, name_base=0):
    kind = rng.random()
    name_list = None if names is None else names

    def value(lo=low, hi=high):
        if name_list and rng.random() < 0.4:
            idx = rng.randint(lo - name_base, min(hi - name_base, len(name_list) - 1)) if lo - name_base <= len(name_list) - 1 else None
            if idx is not None and idx >= 0:
                name = name_list[idx]
                return name.lower() if rng.random() < 0.3 else name
        return str(rng.randint(lo, hi))

    if kind < 0.35:
        return value()
    if kind < 0.55:
        a = rng.randint(low, high)
        b = rng.randint(a, high)
        return f"{value(a, a)}-{value(b, b)}"
    if kind < 0.7:
        a = rng.randint(low, high)
        b = rng.randint(a, high)
        return f"{a}-{b}/{rng.randint(1, max(1, high - low))}"
    if kind < 0.8:
        return f"{rng.randint(low, high)}/{rng.randint(1, max(1, high - low))}"
    return f"*/{rng.randint(1, high - low + 1)}"


def rand_field(rng, low, high, star=0.3, names=None, name_base=0, extras=()):
    if rng.random() < star:
        return "*"
    terms = []
    for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 4)):
        if extras and rng.random() < 0.25:
            terms.append(rng.choice(extras)(rng))
        else:
            terms.append(rand_term(rng, low, high, names, name_base))
    return ",".join(terms)


DAYS = "SUN MON TUE WED THU FRI SAT".split()
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


def rand_expr(rng):
    # Fixed minutes and hours dominate: they exercise the wall-clock rules across transitions.
    minute = rand_field(rng, 0, 59, star=0.15) if rng.random() < 0.5 else str(rng.randint(0, 59))
    hour = rand_field(rng, 0, 23, star=0.2) if rng.random() < 0.5 else str(rng.choice([0, 1, 2, 3, rng.randint(0, 23)]))
    dom = rand_field(rng, 1, 31, star=0.55, extras=(lambda r: "L", lambda r: "LW"))
    month = rand_field(rng, 1, 12, star=0.6, names=MONTHS, name_base=1)
    dow = rand_field(
        rng, 0, 7, star=0.55, names=DAYS,
        extras=(lambda r: f"{r.randint(0, 7)}L", lambda r: f"{rand_value(r, 0, 7) if r.random() < 0.5 else r.choice(DAYS)}#{r.randint(1, 5)}"),
    )
    return f"{minute} {hour} {dom} {month} {dow}"


def instant(rng):
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2031, 1, 1, tzinfo=UTC).timestamp())
    return rng.randrange(start, end)


def main():
    rng = random.Random(SEED)
    trans = {zone: [t for year in YEARS for t in transitions(zone, year)] for zone in ZONES}
    vectors = []
    skipped = []

    long_trans = {zone: [t for year in range(2026, 2045) for t in transitions(zone, year)] for zone in ZONES}
    half_hour_differences = []

    def add(expr, zone, start):
        result = firings(expr, zone, start)
        if result is None:
            skipped.append(expr)
            return
        vector = {"expr": expr, "zone": zone, "start": start, "firings": result}
        if real_time_spacing(expr) and long_trans[zone]:
            expected = piecewise_firings(expr, zone, start, long_trans[zone])
            if expected != result:
                # Only Lord Howe's 30-minute shifts are known to make cronsim step hours off the
                # half hour; anywhere else a difference means this script misreads cronsim.
                if zone != "Australia/Lord_Howe":
                    sys.exit(f"cronsim and the piecewise rule differ for {expr!r} in {zone} after {start}")
                vector["firings"] = expected
                vector["cronsim"] = result
                half_hour_differences.append(vector)
        vectors.append(vector)

    # Named cases: in every zone, from each new year and from shortly before each transition.
    for expr in NAMED:
        for zone in ZONES:
            starts = [int(datetime(year, 1, 1, tzinfo=UTC).timestamp()) for year in (2026, 2028, 2030)]
            starts += [t - 86_400 * 2 - 1_800 for t in trans[zone] if datetime.fromtimestamp(t, UTC).year in (2026, 2029)]
            starts += [t - 1 for t in trans[zone] if datetime.fromtimestamp(t, UTC).year == 2026]
            starts += [t + 1_800 for t in trans[zone] if datetime.fromtimestamp(t, UTC).year == 2027]
            for start in starts:
                add(expr, zone, start)

    # Random expressions, each in a random zone from a random instant; half of them start within
    # three days before a transition.
    seen = set()
    while len(seen) < 3600:
        expr = rand_expr(rng)
        if expr in seen:
            continue
        try:
            CronSim(expr, datetime(2026, 1, 1, tzinfo=UTC))
        except CronSimError:
            continue  # the generator can write e.g. "0 0 31 4 *"; refusals are covered by INVALID
        seen.add(expr)
        zone = rng.choice(ZONES[:3]) if rng.random() < 0.8 else rng.choice(ZONES)
        if trans[zone] and rng.random() < 0.5:
            start = rng.choice(trans[zone]) - rng.randrange(0, 3 * 86_400)
        else:
            start = instant(rng)
        add(expr, zone, start)

    for expr in INVALID:
        try:
            CronSim(expr, datetime(2026, 1, 1, tzinfo=UTC))
        except CronSimError:
            continue
        sys.exit(f"cronsim accepts {expr!r}, listed as invalid")

    json.dump(
        {
            "generator": f"make-cron-vectors.py, cronsim {getattr(cronsim, '__version__', '2.9')}, seed {SEED}",
            "macros": MACROS,
            "vectors": vectors,
            "invalid": INVALID,
            "refusedByDocketOnly": REFUSED_BY_DOCKET_ONLY,
            "cronsimGaveUp": sorted(set(skipped)),
        },
        sys.stdout,
        separators=(",", ":"),
    )
    sys.stdout.write("\n")
    print(f"{len(vectors)} vectors, {len(skipped)} skipped, {len(half_hour_differences)} corrected", file=sys.stderr)


if __name__ == "__main__":
    main()
