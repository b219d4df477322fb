#!/usr/bin/env python3
"""Writes the golden rotated set, the default-retention overflow and the edge-case journals.

rotated/: one history split over journal.jsonl.2, journal.jsonl.1 and journal.jsonl (oldest
first), with a corrupt line, an unknown kind and a torn last line mixed in; rotated/clean.jsonl is
the same history without them, which is what the original module replays (it cannot skip bad lines).
overflow.jsonl: more drops and connections than the default retention (1000) holds, in lines that
leave optional fields out (the original's defaults apply).
edge.jsonl: what hand-written or foreign journals contain: offsets, microseconds, nulls, missing
messages, empty error names, events at the same instant.
Run regenerate.sh to refresh the expected documents.
"""
import json, os, random
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "journals")
T0 = datetime(2026, 3, 1, 6, 0, 0, tzinfo=timezone.utc)
# Names, codes and messages as aws-crt reports them (error_code_to_name / error_code_to_string).
ERR = {
    "hangup": ("AWS_ERROR_MQTT_UNEXPECTED_HANGUP", 5134, "The connection was closed unexpectedly."),
    "closed": ("AWS_IO_SOCKET_CLOSED", 1051, "socket is closed."),
    "timeout": ("AWS_ERROR_MQTT_TIMEOUT", 5129, "Time limit between request and response has been exceeded."),
    "refused": ("AWS_IO_SOCKET_CONNECTION_REFUSED", 1047, "socket connection refused."),
    "ping": ("AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT", 5152, "Remote endpoint did not respond to a PINGREQ before timeout exceeded"),
    "tls": ("AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", 1029, "TLS (SSL) negotiation failed"),
}


def ts(t):
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def dump(o):
    return json.dumps(o, separators=(",", ":"))


def history(rnd, cycles, t):
    """Sessions ending in drops, reconnect storms, publishes and queued publishes."""
    lines = []
    def add(kind, **fields):
        lines.append({"ts": ts(t), "kind": kind, **fields})
    add("connection_success", event_type="connected", session_present=False, return_code=0, attempt_number=0, keep_alive_seconds=1200)
    for i in range(cycles):
        for _ in range(rnd.randint(0, 4)):
            t += timedelta(seconds=rnd.uniform(0.5, 90))
            add("publish", queued=False)
        t += timedelta(seconds=rnd.uniform(1, 3600))
        name, code, msg = ERR[rnd.choice(["hangup", "closed", "timeout", "ping"])]
        add("connection_drop", error_name=name, error_message=msg, error_code=code, reconnect_attempt=0,
            active_subscriptions=rnd.randint(0, 3), queued_commands=rnd.randint(0, 5))
        for attempt in range(1, rnd.choice([1, 1, 2, 4, 8, 13])):
            t += timedelta(seconds=min(2 ** attempt, 120) * rnd.uniform(0.5, 1))
            if rnd.random() < 0.2:
                # A failure without a CRT error name (e.g. a Node error surfaced by the SDK).
                add("connection_drop", error_name=None, error_message="getaddrinfo EAI_AGAIN example-ats.iot.eu-west-1.amazonaws.com",
                    error_code=None, reconnect_attempt=attempt, active_subscriptions=0, queued_commands=0)
            else:
                name, code, msg = ERR[rnd.choice(["refused", "tls", "closed"])]
                add("connection_drop", error_name=name, error_message=msg, error_code=code, reconnect_attempt=attempt,
                    active_subscriptions=0, queued_commands=0)
            if rnd.random() < 0.3:
                add("publish", queued=True)
        t += timedelta(seconds=rnd.uniform(0.2, 5))
        add("connection_success", event_type=rnd.choice(["resumed", "resumed", "deep_reconnected"]),
            session_present=rnd.random() < 0.7, return_code=0, attempt_number=rnd.randint(1, 13))
    return lines


def rotated():
    rnd = random.Random(11)
    lines = history(rnd, 60, T0)
    out = os.path.join(FIXTURES, "rotated")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "clean.jsonl"), "w") as f:
        f.writelines(dump(l) + "\n" for l in lines)
    a, b = len(lines) // 3, 2 * len(lines) // 3
    parts = [lines[:a], lines[a:b], lines[b:]]
    texts = [[dump(l) for l in p] for p in parts]
    texts[0].insert(5, '{"ts":"2026-03-01T06:10:00.000Z","kind":"connection_drop","error_name":')  # corrupt
    texts[1].insert(3, dump({"ts": parts[1][2]["ts"], "kind": "reconnect_storm_detected", "attempts": 12}))  # unknown kind
    texts[1].insert(7, dump({"ts": "not a time", "kind": "publish", "queued": False}))  # invalid
    for name, text in zip(["journal.jsonl.2", "journal.jsonl.1"], texts[:2]):
        with open(os.path.join(out, name), "w") as f:
            f.write("\n".join(text) + "\n")
    with open(os.path.join(out, "journal.jsonl"), "w") as f:
        # Crash mid-write: the last line is torn (no newline, cut inside a string).
        torn = {"ts": ts(T0 + timedelta(days=30)), "kind": "publish", "queued": False}
        f.write("\n".join(texts[2]) + "\n" + dump(torn)[:37])


def overflow():
    rnd = random.Random(5)
    t = T0
    lines = []
    for i in range(1050):
        lines.append({"ts": ts(t), "kind": "connection_success", **({} if i == 0 else {"event_type": "resumed"})})
        t += timedelta(seconds=rnd.uniform(1, 600))
        drop = {"ts": ts(t), "kind": "connection_drop", "reconnect_attempt": rnd.choice([0, 1, 3, 7, 14])}
        if i % 10 == 0:
            name, code, msg = ERR[rnd.choice(["hangup", "ping"])]
            drop.update(error_name=name, error_code=code, error_message=msg)
        lines.append(drop)
        t += timedelta(seconds=rnd.uniform(0.1, 20))
    with open(os.path.join(FIXTURES, "overflow.jsonl"), "w") as f:
        f.writelines(dump(l) + "\n" for l in lines)


def edge():
    lines = [
        {"ts": "2026-03-01T06:00:00+00:00", "kind": "connection_success"},
        {"ts": "2026-03-01T06:00:00.250000+00:00", "kind": "publish"},
        {"ts": "2026-03-01T06:00:00.250Z", "kind": "publish", "queued": True},
        # Same instant as the publishes: a session of 0.25 s.
        {"ts": "2026-03-01T06:00:00.250Z", "kind": "connection_drop", "error_name": "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "error_code": 5134},
        {"ts": "2026-03-01T06:00:01.5Z", "kind": "connection_drop", "error_name": "AWS_IO_SOCKET_CLOSED", "error_code": 1051,
         "error_message": None, "reconnect_attempt": 1},
        {"ts": "2026-03-01T06:00:03.123456Z", "kind": "connection_drop", "error_name": "", "error_message": "read ECONNRESET",
         "reconnect_attempt": 2},
        {"ts": "2026-03-01T06:00:04Z", "kind": "connection_drop", "error_name": None, "error_message": "", "reconnect_attempt": 3},
        {"ts": "2026-03-01T06:00:09.999Z", "kind": "connection_success", "event_type": "resumed", "session_present": True,
         "return_code": None, "attempt_number": 4},
        {"ts": "2026-03-01T07:00:00.001Z", "kind": "connection_drop", "error_name": "AWS_ERROR_MQTT_TIMEOUT", "error_code": 5129,
         "error_message": "Time limit between request and response has been exceeded.", "active_subscriptions": 12, "queued_commands": 40},
        {"ts": "2026-03-01T07:00:00.002Z", "kind": "connection_success", "event_type": "deep_reconnected"},
    ]
    with open(os.path.join(FIXTURES, "edge.jsonl"), "w") as f:
        f.writelines(dump(l) + "\n" for l in lines)


rotated()
overflow()
edge()
