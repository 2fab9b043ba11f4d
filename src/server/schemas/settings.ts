import { z } from "@hono/zod-openapi";
import { HTTP_ACCESS } from "../../settings/index.js";
import type { FlagState, FlagUpdate, SettingDescription } from "../../settings/index.js";
import type { Exact } from "./exact.js";

/** Settings and feature flags: /api/settings, /api/flags. */

export const SettingSchema = z
  .object({
    key: z.string(),
    value: z.unknown(),
    default: z.unknown(),
    source: z.enum(["default", "stored", "env", "flag"]).openapi({
      description: "where the value comes from; precedence flag (command line) > env > stored > default",
    }),
    description: z.string(),
    allowed: z.string().openapi({ description: "what a valid value looks like" }),
    env: z.string().openapi({ description: "the environment variable that overrides it" }),
    http: z.enum(HTTP_ACCESS).openapi({
      description:
        "who may change it over HTTP: anyone, a caller with the server's token, or no one (the CLI only)",
    }),
    stored: z
      .unknown()
      .optional()
      .openapi({ description: "the stored value, when there is one (env or a flag may shadow it)" }),
    warning: z.string().optional(),
  })
  .openapi("Setting");

export const SettingsSchema = z
  .object({
    settings: z.record(z.string(), z.unknown()).openapi({ description: "every setting's value, by key" }),
    details: z.array(SettingSchema),
  })
  .openapi("Settings");

export const SettingsPatchSchema = z
  .record(z.string().max(100), z.unknown())
  .openapi({ example: { "engine.threads": 4, "server.allowedOrigins": ["tauri://localhost"] } });

export const FlagSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    defaultEnabled: z
      .boolean()
      .openapi({ description: "on by default for installations inside the rollout" }),
    rolloutPercentage: z
      .number()
      .openapi({ description: "share of installations (0–100) that get the default" }),
    prerequisites: z.array(z.string()),
    riskLevel: z.enum(["low", "medium", "high"]),
    phase: z.enum(["development", "alpha", "beta", "release_candidate", "deprecated"]),
    needsToken: z
      .boolean()
      .optional()
      .openapi({ description: "turning it on over HTTP needs the server's token" }),
    enabled: z.boolean(),
    source: z.enum(["default", "rollout", "stored"]),
    rolloutBucket: z.int().openapi({ description: "this installation's place (0–99) in the rollout" }),
    inRollout: z.boolean(),
    dependents: z.array(z.string()).openapi({ description: "flags that list this one as a prerequisite" }),
    blockedBy: z
      .array(z.string())
      .openapi({ description: "prerequisites that are off and keep this flag off" }),
  })
  .openapi("Flag");

export const FlagListSchema = z.object({ flags: z.array(FlagSchema) }).openapi("FlagList");

export const SetFlagRequestSchema = z
  .object({ enabled: z.boolean(), withPrerequisites: z.boolean().optional() })
  .openapi("SetFlagRequest");

export const FlagUpdateSchema = z
  .object({
    flag: FlagSchema,
    changed: z
      .array(z.object({ id: z.string(), enabled: z.boolean(), previous: z.boolean() }))
      .openapi({ description: "every flag whose state moved, dependents included" }),
  })
  .openapi("FlagUpdate");

// The schemas above are the domain types, exactly (see exact.ts). A setting's value is typed per
// key in the domain; on the wire it is any JSON value.
const _setting: Exact<
  z.output<typeof SettingSchema>,
  Omit<SettingDescription, "key" | "value" | "default" | "stored"> & {
    key: string;
    value: unknown;
    default: unknown;
    stored?: unknown;
  }
> = true;
const _flag: Exact<z.output<typeof FlagSchema>, FlagState> = true;
const _flagUpdate: Exact<z.output<typeof FlagUpdateSchema>, FlagUpdate> = true;
