export type FlagPhase = "development" | "alpha" | "beta" | "release_candidate" | "deprecated";
export type FlagRisk = "low" | "medium" | "high";

export interface FlagDefinition {
  id: string;
  name: string;
  description: string;
  /** On by default for the installations inside the rollout. */
  defaultEnabled: boolean;
  /** Share of installations (0–100) that get the default; stable per installation. */
  rolloutPercentage: number;
  /** Flags that must be on for this one to be on. */
  prerequisites: string[];
  riskLevel: FlagRisk;
  phase: FlagPhase;
  /** Turning it on over HTTP needs the server's token: it adds places askdb sends data to or serves from. */
  needsToken?: boolean;
}

/**
 * Every feature flag askdb knows. The product's flags first, then askdb's own experiments.
 * Keep the prerequisite graph acyclic (a test checks it).
 */
export const FLAG_DEFINITIONS: readonly FlagDefinition[] = [
  {
    id: "auto_models",
    name: "Automatic model choice",
    description:
      "Pick and download the catalog model that best fits this machine's memory and GPU on first run",
    defaultEnabled: true,
    rolloutPercentage: 100,
    prerequisites: [],
    riskLevel: "low",
    phase: "release_candidate",
  },
  {
    id: "chat_branching",
    name: "Conversation branching",
    description: "Edit an earlier question and continue from there as a new branch, keeping the original",
    defaultEnabled: false,
    rolloutPercentage: 0,
    prerequisites: ["follow_up_rewrite"],
    riskLevel: "low",
    phase: "alpha",
  },
  {
    id: "custom_providers",
    name: "Custom model providers",
    description:
      "Add OpenAI-compatible servers of your own as backends (remote ones still need privacy.allowRemote)",
    defaultEnabled: false,
    rolloutPercentage: 0,
    prerequisites: [],
    riskLevel: "medium",
    phase: "beta",
    needsToken: true,
  },
  {
    id: "mcp_http_servers",
    name: "MCP over HTTP",
    description: "Serve askdb's tools to MCP clients over streamable HTTP, not only over stdio",
    defaultEnabled: false,
    rolloutPercentage: 0,
    prerequisites: [],
    riskLevel: "medium",
    phase: "beta",
    needsToken: true,
  },
  {
    id: "ai_extensions_ollama",
    name: "Ollama models",
    description: "List and use the models of a local Ollama host beside askdb's own",
    defaultEnabled: true,
    rolloutPercentage: 100,
    prerequisites: [],
    riskLevel: "low",
    phase: "release_candidate",
  },
  {
    id: "sql_candidates_vote",
    name: "Candidate queries with a vote",
    description:
      "Write several candidate queries, run them all, and answer with the result most of them agree on",
    defaultEnabled: false,
    rolloutPercentage: 0,
    prerequisites: [],
    riskLevel: "medium",
    phase: "alpha",
  },
  {
    id: "hybrid_retrieval",
    name: "Hybrid example retrieval",
    description: "Find training examples by meaning (embeddings) as well as by words (BM25), fused by rank",
    defaultEnabled: true,
    rolloutPercentage: 50,
    prerequisites: [],
    riskLevel: "low",
    phase: "beta",
  },
  {
    id: "follow_up_rewrite",
    name: "Follow-up rewriting",
    description: 'Rewrite a follow-up ("and last month?") into a standalone question before retrieval',
    defaultEnabled: true,
    rolloutPercentage: 100,
    prerequisites: [],
    riskLevel: "low",
    phase: "beta",
  },
  {
    id: "sql_self_explain",
    name: "Plain-language explanation of the SQL",
    description: "Add a one-sentence explanation of what the generated query does under each answer",
    defaultEnabled: false,
    rolloutPercentage: 0,
    prerequisites: [],
    riskLevel: "low",
    phase: "development",
  },
  {
    id: "browser_extension",
    name: "Browser extension",
    description:
      "Let a paired browser extension ask questions with the open page as context (privacy settings apply)",
    defaultEnabled: false,
    rolloutPercentage: 0,
    prerequisites: [],
    riskLevel: "medium",
    phase: "alpha",
    needsToken: true,
  },
];
