import { describe, expect, it } from "vitest";
import { esc } from "../../../../src/http/routes/html.js";

describe("esc", () => {
  it("escapes the five characters that matter in HTML content and attribute values", () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe("&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;");
  });

  it("leaves other text as it is, non-ASCII included", () => {
    expect(esc("heater-1 · Gerät — ok")).toBe("heater-1 · Gerät — ok");
  });
});
