import { createServer, type AddressInfo } from "node:net";

/** A TCP port free on loopback now (bench/ is built without test/, so not test/helpers/free-port.ts). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
