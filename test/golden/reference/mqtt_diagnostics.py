"""The original module (original-flattened.txt) re-indented by hand (logic unchanged).

It arrived flattened (indentation lost, '[docs]' markers inserted); this file
restores it so it can run as the behavioural oracle (docs/compatibility.md).
print_summary is omitted: it only logs.
"""
from __future__ import annotations
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from awscrt.exceptions import AwsCrtError

_logger = logging.getLogger(__name__)


@dataclass
class ConnectionDropEvent:
    timestamp: str
    error_name: str | None = None
    error_message: str | None = None
    error_code: int | None = None
    reconnect_attempt: int = 0
    duration_connected_seconds: float | None = None
    active_subscriptions: int = 0
    queued_commands: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ConnectionEvent:
    timestamp: str
    event_type: str
    session_present: bool = False
    return_code: int | None = None
    attempt_number: int = 0
    time_to_reconnect_seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MqttMetrics:
    total_connections: int = 0
    total_disconnects: int = 0
    total_connection_drops: int = 0
    total_reconnect_attempts: int = 0
    longest_session_seconds: float = 0.0
    shortest_session_seconds: float = float("inf")
    average_session_seconds: float = 0.0
    current_session_uptime_seconds: float = 0.0
    connection_drops_by_error: dict[str, int] = field(default_factory=dict)
    reconnection_attempts_distribution: dict[str, int] = field(default_factory=dict)
    last_drop_timestamp: str | None = None
    last_successful_connect_timestamp: str | None = None
    connection_recovered: int = 0
    messages_published: int = 0
    messages_queued: int = 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d.get("shortest_session_seconds") == float("inf"):
            d["shortest_session_seconds"] = None
        return d


class MqttDiagnosticsCollector:
    def __init__(self, max_events_retained: int = 1000, enable_verbose_logging: bool = False):
        self.max_events_retained = max_events_retained
        self.enable_verbose_logging = enable_verbose_logging
        self._drop_events: list[ConnectionDropEvent] = []
        self._connection_events: list[ConnectionEvent] = []
        self._metrics = MqttMetrics()
        self._session_start_time: float | None = None
        self._session_duration_history: list[float] = []
        self._last_connection_timestamp: str | None = None
        self._last_drop_timestamp: float | None = None
        self._aws_error_name_counts: dict[str, int] = defaultdict(int)
        self._on_drop_listeners: list[Callable[[ConnectionDropEvent], None]] = []

    def on_connection_drop(self, callback: Callable[[ConnectionDropEvent], None]) -> None:
        self._on_drop_listeners.append(callback)

    async def record_connection_drop(self, error: Exception | None = None, reconnect_attempt: int = 0,
                                     active_subscriptions: int = 0, queued_commands: int = 0) -> None:
        now = datetime.now(UTC).isoformat()
        duration = None
        if self._session_start_time is not None:
            duration = time.time() - self._session_start_time
        error_name = None
        error_message = None
        error_code = None
        if error is not None:
            error_message = str(error)
            if isinstance(error, AwsCrtError):
                error_name = getattr(error, "name", None)
                error_code = getattr(error, "code", None)
        if error_name:
            self._aws_error_name_counts[error_name] += 1
        event = ConnectionDropEvent(
            timestamp=now,
            error_name=error_name,
            error_message=error_message,
            error_code=error_code,
            reconnect_attempt=reconnect_attempt,
            duration_connected_seconds=duration,
            active_subscriptions=active_subscriptions,
            queued_commands=queued_commands,
        )
        self._metrics.total_connection_drops += 1
        self._metrics.total_reconnect_attempts += 1
        if error_name:
            self._metrics.connection_drops_by_error[error_name] = (
                self._metrics.connection_drops_by_error.get(error_name, 0) + 1
            )
        self._metrics.last_drop_timestamp = now
        self._last_drop_timestamp = time.time()
        if duration is not None:
            self._session_duration_history.append(duration)
            if duration > self._metrics.longest_session_seconds:
                self._metrics.longest_session_seconds = duration
            if duration < self._metrics.shortest_session_seconds:
                self._metrics.shortest_session_seconds = duration
            if self._session_duration_history:
                self._metrics.average_session_seconds = sum(self._session_duration_history) / len(
                    self._session_duration_history
                )
        self._drop_events.append(event)
        if len(self._drop_events) > self.max_events_retained:
            self._drop_events.pop(0)
        if self.enable_verbose_logging:
            _logger.warning("Connection drop recorded")
        for callback in self._on_drop_listeners:
            try:
                callback(event)
            except Exception as e:
                _logger.error(f"Error in drop listener: {e}")

    async def record_connection_success(self, event_type: str = "connected", session_present: bool = False,
                                        return_code: int | None = None, attempt_number: int = 0) -> None:
        now = datetime.now(UTC).isoformat()
        time_to_reconnect = None
        if event_type == "connected":
            self._metrics.total_connections += 1
        else:
            self._metrics.connection_recovered += 1
        if self._last_drop_timestamp is not None:
            time_to_reconnect = time.time() - self._last_drop_timestamp
        self._session_start_time = time.time()
        self._last_connection_timestamp = now
        event = ConnectionEvent(
            timestamp=now,
            event_type=event_type,
            session_present=session_present,
            return_code=return_code,
            attempt_number=attempt_number,
            time_to_reconnect_seconds=time_to_reconnect,
        )
        self._metrics.current_session_uptime_seconds = 0.0
        self._metrics.last_successful_connect_timestamp = now
        self._connection_events.append(event)
        if len(self._connection_events) > self.max_events_retained:
            self._connection_events.pop(0)

    def record_publish(self, queued: bool = False) -> None:
        if queued:
            self._metrics.messages_queued += 1
        else:
            self._metrics.messages_published += 1

    async def update_metrics(self) -> None:
        if self._session_start_time is not None:
            self._metrics.current_session_uptime_seconds = time.time() - self._session_start_time

    def get_metrics(self) -> MqttMetrics:
        if self._session_start_time is not None:
            self._metrics.current_session_uptime_seconds = time.time() - self._session_start_time
        attempt_buckets: dict[str, int] = defaultdict(int)
        for event in self._drop_events:
            if event.reconnect_attempt <= 1:
                bucket = "1"
            elif event.reconnect_attempt <= 5:
                bucket = "2-5"
            elif event.reconnect_attempt <= 10:
                bucket = "6-10"
            else:
                bucket = "11+"
            attempt_buckets[bucket] += 1
        self._metrics.reconnection_attempts_distribution = dict(attempt_buckets)
        return self._metrics

    def get_recent_drops(self, limit: int = 10) -> list[ConnectionDropEvent]:
        return self._drop_events[-limit:]

    def get_recent_connections(self, limit: int = 10) -> list[ConnectionEvent]:
        return self._connection_events[-limit:]

    def export_json(self) -> str:
        export_data = {
            "timestamp": datetime.now(UTC).isoformat(),
            "metrics": self.get_metrics().to_dict(),
            "recent_drops": [event.to_dict() for event in self.get_recent_drops(50)],
            "recent_connections": [event.to_dict() for event in self.get_recent_connections(50)],
            "aws_error_counts": dict(self._aws_error_name_counts),
            "session_history_summary": {
                "total_sessions": len(self._session_duration_history),
                "sample_durations": self._session_duration_history[-20:],
            },
        }
        return json.dumps(export_data, indent=2, default=str)
