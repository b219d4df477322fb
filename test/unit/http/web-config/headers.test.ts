import { describe, expect, it } from "vitest";
import { validateHeaders } from "../../../../src/http/web-config/headers.js";

describe("http_server_config.headers (exporter-toolkit's rules)", () => {
  it("accepts the toolkit's headers and values; blank values are left unset", () => {
    const out = validateHeaders(
      new Map([
        ["X-Frame-Options", "sameorigin"],
        ["X-Content-Type-Options", "nosniff"],
        ["Content-Security-Policy", ""],
        ["Strict-Transport-Security", "max-age=1"],
      ]),
    );
    expect([...out]).toEqual([
      ["X-Frame-Options", "sameorigin"],
      ["X-Content-Type-Options", "nosniff"],
      ["Strict-Transport-Security", "max-age=1"],
    ]);
  });

  it.each([
    ["Server", "x", /is not allowed/],
    ["x-frame-options", "deny", /is not allowed/],
    ["X-Frame-Options", "DENY", /'DENY' is not accepted/],
    ["X-Frame-Options", "allow-from https://a", /is not accepted; expected one of: deny, sameorigin/],
    ["X-Content-Type-Options", "", /'' is not accepted/],
    ["X-XSS-Protection", "1\r\nSet-Cookie: a=b", /control character/],
    ["Content-Security-Policy", "a\u0000b", /control character/],
  ])("%s: %j is refused", (name, value, message) => {
    expect(() => validateHeaders(new Map([[name, value]]))).toThrow(message);
  });
});
