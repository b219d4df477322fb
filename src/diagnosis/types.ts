export const CAUSES = [
  "duplicate_client_id",
  "nat_idle_timeout",
  "keep_alive_too_long",
  "aws_connection_ttl",
  "server_throttling",
  "auth_or_policy",
  "network_unstable",
  "aggressive_reconnect",
  "server_maintenance",
  // From AWS IoT Core's lifecycle reasons (issue 13): causes no client-side pattern shows.
  "api_initiated_disconnect",
  "client_closed",
  "aws_server_error",
  "client_protocol_error",
  // Issue 20: a near-constant session length far above the keep-alive, on a transport AWS sets no lifetime for.
  "fixed_session_lifetime",
] as const;

export type CauseId = (typeof CAUSES)[number];

export interface Finding {
  cause: CauseId;
  /** 0..1: how strongly the evidence points here (more evidence, more confidence). */
  confidence: number;
  summary: string;
  evidence: string[];
  recommendation: string;
}

export interface Diagnosis {
  connection: string;
  /** `healthy`: enough history and nothing wrong; `insufficient_data`: too little to judge. */
  status: "healthy" | "findings" | "insufficient_data";
  findings: Finding[];
  /** Why the status is what it is, in plain words. */
  note: string;
  evaluated_at: string;
  /** What this connection's history cannot show (present only when something is out of sight). */
  limits?: string[];
}
