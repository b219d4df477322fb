/**
 * Histogram boundaries in seconds, each chosen for the question its histogram answers.
 * Session duration separates 1-5 s client-ID fights, the 300-350 s NAT/load-balancer idle
 * timeouts, keep-alive multiples up to 1200 s, and the 24 h connection limits.
 */
export const SESSION_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 350, 600, 900, 1200, 1800, 3600, 7200, 14400, 43200, 86400, 172800];

/** From a quick local failover (50 ms) to a capped exponential backoff (10 min). */
export const TIME_TO_RECONNECT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Probe round trips: loopback brokers in milliseconds, AWS IoT typically tens to hundreds of ms. */
export const PROBE_RTT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
