/**
 * Settings, feature flags, privacy retention and resource monitoring. Everything is kept in
 * askdb's own state store; nothing here (or anywhere in askdb) sends telemetry.
 */
export {
  BACKENDS,
  HTTP_ACCESS,
  HTTP_API_KEY_ENV_PATTERN,
  SETTING_DEFAULTS,
  SETTING_KEYS,
  isSettingKey,
  settingMeta,
  settingsSchema,
  type HttpAccess,
  type SettingKey,
  type SettingValue,
  type Settings,
} from "./schema.js";
export { assertSettingKey, parseSettingText, validateSetting } from "./values.js";
export {
  createSettings,
  type SettingChange,
  type SettingDescription,
  type SettingSource,
  type SettingsOptions,
  type SettingsService,
} from "./settings.js";
export type { Unsubscribe } from "./live-view.js";
export { FLAG_DEFINITIONS, type FlagDefinition, type FlagPhase, type FlagRisk } from "./flag-definitions.js";
export {
  createFeatureFlags,
  installationIdOf,
  rolloutBucket,
  type FeatureFlags,
  type FeatureFlagsOptions,
  type FlagChange,
  type FlagSource,
  type FlagState,
  type FlagUpdate,
} from "./flags.js";
export {
  createRetentionSweeper,
  describeRetention,
  parseRetention,
  retentionCutoff,
  type RetentionOwner,
  type RetentionPolicy,
  type RetentionSweeper,
  type RetentionSweeperOptions,
  type SweepCounts,
  type SweepResult,
} from "./retention.js";
export { readHostHealth, type HealthProbe, type HealthProbeResult, type HostHealth } from "./host-health.js";
export {
  createResourceMonitor,
  type DiskSpace,
  type GpuResources,
  type LlamaLoader,
  type ModelPerformance,
  type ProcessResources,
  type ResourceMonitor,
  type ResourceMonitorOptions,
  type ResourceSnapshot,
} from "./monitor.js";
