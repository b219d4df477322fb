import { CHECK_CONFIG } from "./check-config-options.js";
import type { CommandSpec } from "./flag-table.js";
import { FLEET } from "./fleet-options.js";
import { FLEET_REPLAY } from "./fleet-replay-options.js";
import { REPLAY } from "./replay-options.js";
import { SERVE } from "./serve-options.js";

const SPECS = [SERVE, REPLAY, FLEET, FLEET_REPLAY, CHECK_CONFIG] as const;
export type CommandName = (typeof SPECS)[number]["name"];

/** The commands in the order help and docs/cli.md list them (serve, the default, first). */
export const COMMANDS: readonly (CommandSpec & { readonly name: CommandName })[] = SPECS;
