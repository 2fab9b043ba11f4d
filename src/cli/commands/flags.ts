import type { Command } from "commander";
import pc from "picocolors";
import type { FeatureFlags, FlagState, FlagUpdate } from "../../settings/index.js";
import { printJson, printTable } from "../output.js";
import { settingsAction, type JsonOption } from "../askdb.js";

export function registerFlagsCommand(program: Command): void {
  const flags = program
    .command("flags")
    .description(
      "List and switch feature flags (experimental features); a change takes effect without a restart",
    )
    .addHelpText(
      "after",
      `
Examples:
  askdb flags list                                   every flag: on/off, phase, risk, rollout, prerequisites
  askdb flags enable sql_candidates_vote             several candidate queries, answer with the one most agree on
  askdb flags enable chat_branching --with-prerequisites
  askdb flags disable hybrid_retrieval               also turns off the flags that need it (listed)
  askdb flags reset hybrid_retrieval                 back to the default for this installation`,
    );

  flags
    .command("list")
    .description("List every feature flag")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb flags list
  askdb flags list --json`,
    )
    .action(
      settingsAction<JsonOption>(({ flags: service }, options) => {
        const all = service.list();
        if (options.json) return printJson(all);
        printTable(
          ["flag", "state", "phase", "risk", "rollout", "needs", "description"],
          all.map((flag) => [
            flag.id,
            stateOf(flag),
            flag.phase.replace("_", " "),
            flag.riskLevel,
            rolloutOf(flag),
            flag.prerequisites.join(", ") || "-",
            flag.description,
          ]),
        );
      }),
    );

  flags
    .command("enable")
    .description("Turn a flag on (its prerequisites must be on)")
    .argument("<flag>", "the flag id, e.g. sql_candidates_vote")
    .option("--with-prerequisites", "turn its prerequisites on too")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb flags enable sql_candidates_vote
  askdb flags enable chat_branching --with-prerequisites`,
    )
    .action(
      settingsAction<JsonOption & { withPrerequisites?: boolean }>(
        ({ flags: service }, options, id: string) =>
          report(service.enable(id, { withPrerequisites: options.withPrerequisites === true }), options),
      ),
    );

  const switches: Array<{
    name: string;
    description: string;
    update: (flags: FeatureFlags, id: string) => FlagUpdate;
  }> = [
    {
      name: "disable",
      description: "Turn a flag off, with every flag that needs it",
      update: (service, id) => service.disable(id),
    },
    {
      name: "reset",
      description: "Forget your choice for a flag: its default (and rollout) applies again",
      update: (service, id) => service.reset(id),
    },
  ];
  for (const { name, description, update } of switches) {
    flags
      .command(name)
      .description(description)
      .argument("<flag>", "the flag id")
      .option("--json", "print JSON")
      .addHelpText(
        "after",
        `
Examples:
  askdb flags ${name} hybrid_retrieval`,
      )
      .action(
        settingsAction<JsonOption>(({ flags: service }, options, id: string) =>
          report(update(service, id), options),
        ),
      );
  }
}

function stateOf(flag: FlagState): string {
  const chosen = flag.source === "stored" ? " (set)" : "";
  if (flag.enabled) return pc.green(`on${chosen}`);
  if (flag.blockedBy.length > 0) return pc.dim(`off (needs ${flag.blockedBy.join(", ")})`);
  return pc.dim(`off${chosen}`);
}

/** The rollout only matters for flags that are on by default: does this installation get it? */
function rolloutOf(flag: FlagState): string {
  if (!flag.defaultEnabled) return "-";
  if (flag.rolloutPercentage === 100) return "100%";
  return `${flag.rolloutPercentage}% (${flag.inRollout ? "in" : "not this install"})`;
}

function report(update: FlagUpdate, options: JsonOption): void {
  if (options.json) return printJson(update);
  const { flag, changed } = update;
  process.stdout.write(
    `${flag.id} is ${flag.enabled ? "on" : "off"}${changed.length === 0 ? " (unchanged)" : ""}\n`,
  );
  const others = changed.filter((change) => change.id !== flag.id);
  for (const change of others) {
    process.stdout.write(`  ${change.enabled ? "also turned on" : "also turned off"}: ${change.id}\n`);
  }
}
