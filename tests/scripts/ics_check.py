#!/usr/bin/env python3
"""Reads an iCalendar file with Python's `icalendar` package (a parser
independent of the Rust crate that wrote it) and prints what it found as
JSON, for tests/cli.rs to compare with what the schedule should give.

Exit codes: 0 parsed, 1 the file does not parse, 3 `icalendar` is not
installed (the Rust test then says it skipped this check)."""

import json
import sys

try:
    import icalendar
except ImportError:
    print("the Python package 'icalendar' is not installed (pip install icalendar)")
    sys.exit(3)


def text(value):
    return None if value is None else str(value)


def when(prop):
    """A DTSTART/EXDATE value as YYYY-MM-DDTHH:MM, noting a time zone."""
    dt = prop.dt
    suffix = "" if getattr(dt, "tzinfo", None) is None else "+tz"
    return dt.strftime("%Y-%m-%dT%H:%M") + suffix


def exdates(event):
    raw = event.get("EXDATE")
    if raw is None:
        return []
    lists = raw if isinstance(raw, list) else [raw]
    return [when(d) for lst in lists for d in lst.dts]


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        cal = icalendar.Calendar.from_ical(data)
    except ValueError as e:
        print(f"does not parse: {e}")
        return 1
    events = []
    for ev in cal.walk("VEVENT"):
        rrule = ev.get("RRULE")
        events.append(
            {
                "summary": text(ev.get("SUMMARY")),
                "class": text(ev.get("CLASS")),
                "uid": text(ev.get("UID")),
                "start": when(ev["DTSTART"]),
                "end": when(ev["DTEND"]),
                "rrule": None if rrule is None else rrule.to_ical().decode(),
                "exdates": exdates(ev),
                "description": text(ev.get("DESCRIPTION")),
                "location": text(ev.get("LOCATION")),
                "alarms": [
                    {
                        "action": text(a.get("ACTION")),
                        "description": text(a.get("DESCRIPTION")),
                        "trigger_minutes": int(a["TRIGGER"].dt.total_seconds() // 60),
                        "related": text(a["TRIGGER"].params.get("RELATED", "START")),
                    }
                    for a in ev.walk("VALARM")
                ],
            }
        )
    print(json.dumps({"version": text(cal.get("VERSION")), "events": events}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
