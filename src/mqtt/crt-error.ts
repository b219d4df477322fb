import { createRequire } from "node:module";

/**
 * aws-crt's native module is loaded on the first need, not when the library is imported: an
 * application that imports only the instruments or the plugin never loads it.
 */
const crtIo = (): typeof import("aws-iot-device-sdk-v2").io =>
  (createRequire(import.meta.url)("aws-iot-device-sdk-v2") as typeof import("aws-iot-device-sdk-v2")).io;

// aws-crt error codes live in per-library ranges below this bound (common, io, http, mqtt, auth...).
const CODE_SCAN_LIMIT = 0x4000;
let codesByName: Map<string, number> | undefined;

function codeOf(name: string): number | undefined {
  if (codesByName === undefined) {
    // Built once, on the first need: aws-crt maps codes to names but not back.
    codesByName = new Map();
    const io = crtIo();
    for (let code = 1; code < CODE_SCAN_LIMIT; code++) {
      const n = io.error_code_to_name(code);
      if (n.startsWith("AWS_") && !codesByName.has(n)) codesByName.set(n, code);
    }
  }
  return codesByName.get(name);
}

/**
 * The MQTT 3.1.1 `connect()` promise rejects with a string ("Failed to connect: aws-c-io:
 * AWS_IO_SOCKET_CLOSED, socket is closed."), and its `error` event wraps that string: the CRT
 * name and code are recovered so the failure is labelled as the SDK's own events label it.
 */
export function crtErrorFromMessage(message: string): { error_name: string; error_code: number; message: string } | { message: string } {
  const name = /\bAWS_[A-Z0-9_]+\b/.exec(message)?.[0];
  const code = name === undefined ? undefined : codeOf(name);
  return name !== undefined && code !== undefined ? { error_name: name, error_code: code, message } : { message };
}
