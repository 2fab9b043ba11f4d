import { createHash, randomUUID } from "node:crypto";
import { AskDbError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import { FLAG_DEFINITIONS, type FlagDefinition } from "./flag-definitions.js";
import { keyValueTable } from "./key-value-table.js";
import { createLiveView, type Unsubscribe } from "./live-view.js";
import { didYouMean } from "./suggest.js";

export type FlagSource = "default" | "rollout" | "stored";

export interface FlagState extends FlagDefinition {
  enabled: boolean;
  /** stored: the person chose; rollout: the default, for installations inside the rollout; default otherwise. */
  source: FlagSource;
  /** This installation's place (0–99) in the rollout; inside when below rolloutPercentage. */
  rolloutBucket: number;
  inRollout: boolean;
  /** Flags that list this one as a prerequisite. */
  dependents: string[];
  /** Prerequisites that are off and so keep this flag off. */
  blockedBy: string[];
}

export interface FlagChange {
  id: string;
  enabled: boolean;
  previous: boolean;
}

export interface FlagUpdate {
  flag: FlagState;
  /** Every flag whose effective state moved, dependents included. */
  changed: FlagChange[];
}

export interface FeatureFlags {
  readonly installationId: string;
  list(): FlagState[];
  get(id: string): FlagState;
  isEnabled(id: string): boolean;
  /**
   * Turns a flag on. CONFLICT naming the prerequisite when one is off, unless
   * `withPrerequisites` turns those on too.
   */
  enable(id: string, options?: { withPrerequisites?: boolean }): FlagUpdate;
  /** Turns a flag off, and with it every flag that depends on it (reported in `changed`). */
  disable(id: string): FlagUpdate;
  /** Forgets the person's choice: the default and rollout apply again. */
  reset(id: string): FlagUpdate;
  /** Called with every change of a flag's effective state, from this process or another. */
  onChange(listener: (change: FlagChange) => void): Unsubscribe;
}

export interface FeatureFlagsOptions {
  /** Defaults to the one kept in the store's meta (created on first use). */
  installationId?: string;
  definitions?: readonly FlagDefinition[];
}

const INSTALLATION_ID_KEY = "installation_id";

/** This installation's random id, created once and kept in the store; never sent anywhere. */
export function installationIdOf(store: Store): string {
  const existing = store.getMeta(INSTALLATION_ID_KEY);
  if (existing) return existing;
  const id = randomUUID();
  store.setMeta(INSTALLATION_ID_KEY, id);
  return id;
}

/** Stable per installation and flag, spread evenly over 0–99. */
export function rolloutBucket(installationId: string, flagId: string): number {
  const digest = createHash("sha256").update(`${installationId}:${flagId}`).digest();
  return digest.readUInt32BE(0) % 100;
}

export function createFeatureFlags(store: Store, options: FeatureFlagsOptions = {}): FeatureFlags {
  const installationId = options.installationId ?? installationIdOf(store);
  const definitions = options.definitions ?? FLAG_DEFINITIONS;
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const table = keyValueTable<number>(store, "feature_flags", { key: "id", value: "enabled" });

  const view = createLiveView(
    store,
    () => evaluate(definitions, storedChoices(table.all()), installationId),
    (flag) => flag.enabled,
  );

  function flag(id: string): FlagState {
    const state = view.entries().get(id);
    if (state) return state;
    throw new AskDbError("NOT_FOUND", `unknown feature flag "${id}"`, {
      hint: `${didYouMean(id, [...byId.keys()])}run \`askdb flags list\` to see every flag`,
    });
  }

  function change(id: string, write: () => void): FlagUpdate {
    const before = new Map([...view.entries()].map(([key, state]) => [key, state.enabled]));
    view.write(write);
    const changed = [...view.entries().values()]
      .filter((state) => state.enabled !== before.get(state.id))
      .map((state) => ({ id: state.id, enabled: state.enabled, previous: !state.enabled }));
    return { flag: flag(id), changed };
  }

  const writeChoice = (id: string, enabled: boolean) => table.put(id, enabled ? 1 : 0);

  return {
    installationId,
    list: () => [...view.entries().values()],
    get: flag,
    isEnabled: (id) => flag(id).enabled,
    enable(id, { withPrerequisites = false } = {}) {
      flag(id);
      const chain = prerequisiteChain(byId, id);
      const off = chain.filter((prerequisite) => !flag(prerequisite).enabled);
      if (off.length > 0 && !withPrerequisites) throw prerequisiteOff(id, off);
      return change(id, () => {
        for (const prerequisite of off) writeChoice(prerequisite, true);
        writeChoice(id, true);
      });
    },
    disable(id) {
      const dependents = dependentsOf(definitions, flag(id).id).filter(
        (dependent) => flag(dependent).enabled,
      );
      return change(id, () => {
        for (const target of [id, ...dependents]) writeChoice(target, false);
      });
    },
    reset(id) {
      flag(id);
      return change(id, () => table.remove(id));
    },
    onChange: (listener) =>
      view.subscribe(({ key, value, previous }) =>
        listener({ id: key, enabled: value as boolean, previous: previous as boolean }),
      ),
  };
}

function storedChoices(rows: Array<{ key: string; value: number }>): Map<string, boolean> {
  return new Map(rows.map((row) => [row.key, row.value === 1]));
}

function evaluate(
  definitions: readonly FlagDefinition[],
  stored: Map<string, boolean>,
  installationId: string,
): Map<string, FlagState> {
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const states = new Map<string, FlagState>();
  const resolveFlag = (definition: FlagDefinition): FlagState => {
    const known = states.get(definition.id);
    if (known) return known;
    const bucket = rolloutBucket(installationId, definition.id);
    const inRollout = bucket < definition.rolloutPercentage;
    const choice = stored.get(definition.id);
    const wanted = choice ?? (definition.defaultEnabled && inRollout);
    const blockedBy = definition.prerequisites.filter((id) => {
      const prerequisite = byId.get(id);
      return !prerequisite || !resolveFlag(prerequisite).enabled;
    });
    const state: FlagState = {
      ...definition,
      enabled: wanted && blockedBy.length === 0,
      source:
        choice !== undefined
          ? "stored"
          : definition.defaultEnabled && definition.rolloutPercentage < 100
            ? "rollout"
            : "default",
      rolloutBucket: bucket,
      inRollout,
      dependents: dependentsOf(definitions, definition.id),
      blockedBy,
    };
    states.set(definition.id, state);
    return state;
  };
  for (const definition of definitions) resolveFlag(definition);
  return new Map(definitions.map((definition) => [definition.id, states.get(definition.id) as FlagState]));
}

/** Every flag that needs `id`, directly or through another flag. */
function dependentsOf(definitions: readonly FlagDefinition[], id: string): string[] {
  const found: string[] = [];
  const visit = (target: string) => {
    for (const definition of definitions) {
      if (definition.prerequisites.includes(target) && !found.includes(definition.id)) {
        found.push(definition.id);
        visit(definition.id);
      }
    }
  };
  visit(id);
  return found;
}

/** Every prerequisite of `id`, deepest first, so enabling them in order always succeeds. */
function prerequisiteChain(byId: Map<string, FlagDefinition>, id: string): string[] {
  const chain: string[] = [];
  const visit = (target: string) => {
    for (const prerequisite of byId.get(target)?.prerequisites ?? []) {
      if (chain.includes(prerequisite)) continue;
      visit(prerequisite);
      chain.push(prerequisite);
    }
  };
  visit(id);
  return chain;
}

function prerequisiteOff(id: string, off: string[]): AskDbError {
  const names = off.join(", ");
  return new AskDbError(
    "CONFLICT",
    `cannot enable ${id}: it needs ${names}, which ${off.length === 1 ? "is" : "are"} off`,
    {
      hint: `enable ${off.length === 1 ? "it" : "them"} first (\`askdb flags enable ${off[0]}\`), or run \`askdb flags enable ${id} --with-prerequisites\``,
      details: { flag: id, prerequisitesOff: off },
    },
  );
}
