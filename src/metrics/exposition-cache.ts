/**
 * Serves the last rendering while nothing it depends on has changed: the data version (any
 * recorded event) and a time bound for the gauges derived from the clock (session uptime).
 * Concurrent requests for a stale entry share one rendering.
 */
export class ExpositionCache {
  private text: string | undefined;
  private version = -1;
  private renderedAt = 0;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly render: () => Promise<string>,
    private readonly currentVersion: () => number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<string> {
    const v = this.currentVersion();
    if (this.text !== undefined && v === this.version && this.now() - this.renderedAt < this.maxAgeMs) {
      return Promise.resolve(this.text);
    }
    if (this.pending !== undefined) return this.pending;
    const started = this.now();
    this.pending = this.render().then(
      (text) => {
        this.text = text;
        this.version = v;
        this.renderedAt = started;
        this.pending = undefined;
        return text;
      },
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }
}
