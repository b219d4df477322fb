import { ConfigError } from "./errors.js";
import type { Config, LifecycleTrust } from "./schema.js";
import { regionOfEndpoint } from "./transport.js";

/**
 * Why the observer's lifecycle events can be believed. AWS IoT Core refuses every client's publish
 * on `$aws/events/`, so there only AWS speaks; on another broker any client may forge an event
 * (a `DUPLICATE_CLIENTID` and a `connected` event turn a broker restart into "another device"),
 * so an observer elsewhere is refused unless `lifecycle.trust` says who guarantees the topics.
 * Undefined without an observer.
 */
export function lifecycleTrust(config: Pick<Config, "connections" | "lifecycle">, setting = "lifecycle.trust"): LifecycleTrust | undefined {
  const lifecycle = config.lifecycle;
  if (lifecycle === undefined) return undefined;
  if (lifecycle.trust !== undefined) return lifecycle.trust;
  const observer = config.connections.find((c) => (c.name ?? c.client_id) === lifecycle.observer);
  if (observer === undefined || regionOfEndpoint(observer.endpoint) !== undefined) return "aws_iot_core";
  throw new ConfigError(
    setting,
    `required: the observer '${lifecycle.observer}' connects to '${observer.endpoint}', not an AWS IoT Core endpoint (*.iot.REGION.amazonaws.com), where any client may forge $aws/events/ messages; set aws_iot_core (AWS IoT Core under a custom domain) or broker_acl (a broker whose ACL lets no client publish on $aws/events/)`,
  );
}
