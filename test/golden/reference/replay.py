#!/usr/bin/env python3
"""Replay a journal (JSONL) through the original collector with a fake clock.

usage: replay.py JOURNAL [--at ISO] [--max-events N] [--as-is]

By default applies the one documented fix (a session ends at its first drop:
later drops before the next success carry no duration). --as-is keeps the
original's behaviour. Prints the original's export_json document.
"""
import asyncio, json, sys, types
from datetime import datetime, timezone
sys.path.insert(0, __file__.rsplit('/', 1)[0])
import mqtt_diagnostics as md
from awscrt.exceptions import AwsCrtError

class Clock:
    t = 0.0
clock = Clock()

def parse(ts):
    return datetime.fromisoformat(ts.replace('Z', '+00:00')).timestamp()

class FakeDT:
    @staticmethod
    def now(tz=None):
        return datetime.fromtimestamp(clock.t, timezone.utc)

md.time = types.SimpleNamespace(time=lambda: clock.t)
md.datetime = FakeDT

def main():
    args = sys.argv[1:]
    path = args[0]
    at = None; max_events = 1000; as_is = False
    i = 1
    while i < len(args):
        if args[i] == '--at': at = parse(args[i+1]); i += 2
        elif args[i] == '--max-events': max_events = int(args[i+1]); i += 2
        elif args[i] == '--as-is': as_is = True; i += 1
        else: raise SystemExit('bad arg ' + args[i])
    c = md.MqttDiagnosticsCollector(max_events_retained=max_events)
    last = 0.0
    async def run():
        nonlocal last
        for line in open(path):
            line = line.strip()
            if not line: continue
            e = json.loads(line)
            clock.t = parse(e['ts']); last = clock.t
            k = e['kind']
            if k == 'connection_success':
                await c.record_connection_success(e.get('event_type', 'connected'), e.get('session_present', False),
                                                  e.get('return_code'), e.get('attempt_number', 0))
            elif k == 'connection_drop':
                err = None
                if e.get('error_name') is not None or e.get('error_message') is not None:
                    if e.get('error_name'):
                        err = AwsCrtError(e.get('error_code'), e['error_name'], e.get('error_message') or '')
                    else:
                        err = Exception(e.get('error_message') or '')
                await c.record_connection_drop(err, e.get('reconnect_attempt', 0),
                                               e.get('active_subscriptions', 0), e.get('queued_commands', 0))
                if not as_is:
                    c._session_start_time = None
            elif k == 'publish':
                c.record_publish(e.get('queued', False))
            # other kinds are not the original's: ignored here
    asyncio.run(run())
    clock.t = at if at is not None else last
    print(c.export_json())

main()
