/**
 * The topic to publish on, `${clientId}` replaced. Basic Ingest topics (`$aws/rules/RULE/...`)
 * work like any other: the client ID is in the payload, whatever the topic holds. Returns the
 * problem instead when the topic cannot be published to.
 */
export function evidenceTopic(template: string, clientId: string): { topic: string } | { problem: string } {
  const topic = template.split("${clientId}").join(clientId);
  if (topic.length === 0) return { problem: "the topic is empty" };
  if (/[+#]/.test(topic)) return { problem: "a publish topic cannot hold the wildcards + or #" };
  if (topic.startsWith("$") && !/^\$aws\/rules\/[A-Za-z0-9_]+\/./.test(topic))
    return { problem: "the only topics starting with $ a device publishes evidence to are Basic Ingest's, $aws/rules/RULE_NAME/..." };
  // AWS IoT Core: at most 256 bytes and 7 slashes (Basic Ingest's 3-level prefix not counted).
  if (Buffer.byteLength(topic) > 256) return { problem: "a topic is at most 256 bytes" };
  const levels = topic.replace(/^\$aws\/rules\/[^/]+\//, "").split("/").length;
  if (levels > 8) return { problem: "AWS IoT Core allows at most 7 slashes in a topic (after a Basic Ingest prefix)" };
  return { topic };
}
