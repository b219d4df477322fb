import { DEFAULT_LISTEN_PORT } from "../service/listen-address.js";
import { DEMO_SCENARIOS } from "../demo/scenario-names.js";
import type { CommandSpec } from "./flag-table.js";

// Only constants here: run-cli reads this table for --help without loading serve's modules.
export const SERVE = {
  name: "serve",
  isDefault: true,
  summary: "watch the configured connections (or the demo) and serve /metrics, /diagnostics.json and the status page",
  flags: {
    config: {
      type: "string",
      value: "FILE",
      absent: "the demo, or the `MQTT_*` environment variables",
      description: "the YAML configuration ([settings](configuration.md))",
    },
    "web.listen-address": {
      type: "string",
      value: "HOST:PORT",
      default: `:${DEFAULT_LISTEN_PORT}`,
      description: `where HTTP listens (\`:PORT\` = every interface; \`127.0.0.1:${DEFAULT_LISTEN_PORT}\`, \`[::1]:${DEFAULT_LISTEN_PORT}\`)`,
    },
    "web.config.file": {
      type: "string",
      value: "FILE",
      description: "exporter-toolkit `web-config.yml`: TLS, client certificates, basic auth, headers ([security](security.md))",
    },
    "journal.path": {
      type: "string",
      value: "FILE",
      absent: "`journal.path` from the config; in the demo `data/demo-journal.jsonl`, with `--demo.scenario NAME` `data/demo-NAME-journal.jsonl`",
      description: "the journal file",
    },
    "log.level": {
      type: "string",
      value: "LEVEL",
      default: "info",
      choices: ["fatal", "error", "warn", "info", "debug", "trace"],
      description: "what is logged (`debug` adds request logs)",
    },
    "otlp.endpoint": {
      type: "string",
      value: "URL",
      absent: "`OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`",
      description: "also push the instruments over OTLP/HTTP (an `http://` or `https://` URL)",
    },
    "demo.scenario": {
      type: "string",
      value: "NAME",
      absent: "every scenario in turn",
      choices: DEMO_SCENARIOS,
      description: "with no configuration (the demo): play one cause again and again ([dashboards](dashboards.md#the-demo))",
    },
  },
} as const satisfies CommandSpec;
