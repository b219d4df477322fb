import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

/** One dashboard row: its title and its panels, laid out left to right by their spans. */
export interface RowContent {
  title: string;
  panels: cog.Builder<dashboard.Panel>[];
}
