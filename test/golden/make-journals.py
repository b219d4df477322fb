#!/usr/bin/env python3
"""Writes the golden journals (deterministic). Run regenerate.sh to refresh the expected documents."""
import json, os, random
from datetime import datetime, timedelta, timezone

HERE = os.path.join(os.path.dirname(__file__), "journals")
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
# Names, codes and messages as aws-crt 1.x reports them (error_code_to_name / error_code_to_string).
ERR = {
    "hangup": ("AWS_ERROR_MQTT_UNEXPECTED_HANGUP", 5134, "The connection was closed unexpectedly."),
    "refused": ("AWS_IO_SOCKET_CONNECTION_REFUSED", 1047, "socket connection refused."),
    "timeout": ("AWS_ERROR_MQTT_TIMEOUT", 5129, "Time limit between request and response has been exceeded."),
    "closed": ("AWS_IO_SOCKET_CLOSED", 1051, "socket is closed."),
    "ping": ("AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT", 5152, "Remote endpoint did not respond to a PINGREQ before timeout exceeded"),
    "tls": ("AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", 1029, "TLS (SSL) negotiation failed"),
    "disconnect": ("AWS_ERROR_MQTT5_DISCONNECT_RECEIVED", 5154, "Mqtt5 client connection interrupted by server DISCONNECT."),
}

class J:
    def __init__(self, name):
        self.name, self.t, self.lines = name, T0, []
    def at(self, seconds):
        self.t += timedelta(seconds=seconds)
        return self
    def ts(self):
        return self.t.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    def success(self, event_type="connected", **kw):
        self.lines.append({"ts": self.ts(), "kind": "connection_success", "event_type": event_type,
                           "session_present": kw.get("session_present", False), "return_code": kw.get("return_code", 0),
                           "attempt_number": kw.get("attempt_number", 0), **({"keep_alive_seconds": kw["keep_alive"]} if "keep_alive" in kw else {})})
    def drop(self, err=None, attempt=0, subs=1, queued=0, message=None, reason=None):
        name, code, msg = ERR[err] if err else (None, None, message)
        line = {"ts": self.ts(), "kind": "connection_drop", "error_name": name, "error_message": msg, "error_code": code,
                "reconnect_attempt": attempt, "active_subscriptions": subs, "queued_commands": queued}
        if reason is not None:
            line["disconnect_reason_code"] = reason
        self.lines.append(line)
    def publish(self, queued=False):
        self.lines.append({"ts": self.ts(), "kind": "publish", "queued": queued})
    def failure(self, err, connack=None):
        name, code, msg = ERR[err]
        self.lines.append({"ts": self.ts(), "kind": "connection_failure", "error_name": name, "error_message": msg,
                           "error_code": code, **({"connack_reason_code": connack} if connack is not None else {})})
    def write(self):
        with open(os.path.join(HERE, self.name + ".jsonl"), "w") as f:
            for line in self.lines:
                f.write(json.dumps(line, separators=(",", ":")) + "\n")

def storm():
    j = J("storm")
    j.success(keep_alive=300)
    for _ in range(3):
        j.at(312.25).drop("hangup", queued=2)
        for attempt in range(1, 14):
            j.at(0.4 + attempt * 0.1).drop("refused", attempt=attempt, subs=0)
        j.at(1.75).success("resumed", session_present=True, attempt_number=14)
    j.at(40.5).publish()
    j.write()

def retention():
    j = J("retention")
    rnd = random.Random(7)
    for i in range(40):
        j.success("connected" if i == 0 else "resumed", attempt_number=i % 4)
        j.at(rnd.uniform(5, 900)).drop(rnd.choice(["hangup", "timeout", "closed"]), attempt=rnd.randint(0, 14))
        j.at(rnd.uniform(0.5, 30))
    j.write()

def no_error():
    j = J("no-error")
    j.success()
    j.at(60).drop()
    j.at(2).success("resumed")
    j.at(30.5).drop()
    j.at(5).drop(attempt=1)
    j.at(1).success("deep_reconnected")
    j.write()

def non_crt():
    j = J("non-crt")
    j.success()
    j.at(120).drop(message="ECONNRESET: socket hang up")
    j.at(3).success("resumed")
    j.at(45).drop("hangup")
    j.at(2).drop(message="getaddrinfo ENOTFOUND example.iot.amazonaws.com", attempt=1)
    j.write()

def publishes():
    j = J("publishes")
    j.success()
    for i in range(25):
        j.at(1).publish()
    j.at(10).drop("ping")
    for i in range(7):
        j.at(0.5).publish(queued=True)
    j.at(4).success("resumed", session_present=True)
    for i in range(3):
        j.at(1).publish()
    j.write()

def extended():
    j = J("extended")
    j.success(keep_alive=60)
    j.at(0.5)
    j.lines.append({"ts": j.ts(), "kind": "probe", "rtt_seconds": 0.042})
    j.at(1200).drop("disconnect", reason=0x8E)
    j.at(1).failure("tls")
    j.at(2)
    j.lines.append({"ts": j.ts(), "kind": "connection_attempt"})
    j.at(0.5).success("resumed")
    j.write()

for make in (storm, retention, no_error, non_crt, publishes, extended):
    make()
