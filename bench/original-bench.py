#!/usr/bin/env python3
"""Times the original Python module's record_connection_drop at a given history size (same run as
the TS bench). The module is the one vendored in test/golden/reference/ (docs/compatibility.md).

usage: original-bench.py MODULE_DIR HISTORY WINDOW
Preloads HISTORY ended sessions (as the module would hold them after HISTORY drops) and times
WINDOW more success+drop pairs, so the module's per-drop cost at that history size is measured
without spending minutes on its quadratic warm-up. Prints JSON.
"""
import asyncio, json, resource, sys, time, types
sys.path.insert(0, sys.argv[1])
import mqtt_diagnostics as md
from awscrt.exceptions import AwsCrtError

history, window = int(sys.argv[2]), int(sys.argv[3])
clock = [1_700_000_000.0]
md.time = types.SimpleNamespace(time=lambda: clock[0])
c = md.MqttDiagnosticsCollector(max_events_retained=1000)
c._session_duration_history = [300.0 + (i % 7) for i in range(history)]
err = AwsCrtError(5134, "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "The connection was closed unexpectedly.")

async def run():
    for _ in range(window):
        clock[0] += 1.0
        await c.record_connection_success("resumed")
        clock[0] += 300.0
        await c.record_connection_drop(err)

t0 = time.perf_counter()
asyncio.run(run())
elapsed = time.perf_counter() - t0
print(json.dumps({"history": history, "window": window, "ns_per_pair": elapsed / window * 1e9,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
