/**
 * Versioned schema of askdb's own state store. A migration runs inside one transaction together
 * with the `user_version` bump, so a crash leaves the store either before or after it, never half.
 * Append new migrations with a higher version; never edit one that has shipped.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      -- Installed models (local GGUF files; Ollama models are listed live, not stored).
      CREATE TABLE models (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'llm' CHECK (kind IN ('llm', 'embedding')),
        file_path TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        sha256 TEXT,
        source TEXT NOT NULL,            -- catalog | hf | url | file
        source_ref TEXT,                 -- catalog id, hf spec, URL or original path
        owns_file INTEGER NOT NULL DEFAULT 1, -- 0 when registered in place: delete never removes the user's file
        gguf_json TEXT,                  -- GGUF metadata read at verification
        installed_at TEXT NOT NULL,
        last_used_at TEXT,
        use_count INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX models_one_active_per_kind ON models(kind) WHERE active = 1;

      CREATE TABLE downloads (
        id TEXT PRIMARY KEY,
        model_id TEXT NOT NULL,
        url TEXT NOT NULL,
        file_name TEXT NOT NULL,
        part_path TEXT NOT NULL,
        total_bytes INTEGER,
        downloaded_bytes INTEGER NOT NULL DEFAULT 0,
        expected_sha256 TEXT,
        etag TEXT,
        status TEXT NOT NULL,            -- queued | downloading | paused | verifying | completed | failed | cancelled
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX downloads_by_status ON downloads(status);

      -- User databases askdb has connected to (never written to; this is askdb's record of them).
      CREATE TABLE databases (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        fingerprint TEXT,
        trained_fingerprint TEXT,
        knowledge_version INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL,
        last_used_at TEXT
      );

      -- "Training": DDL, documentation chunks and question/SQL pairs, per database.
      CREATE TABLE knowledge (
        id TEXT PRIMARY KEY,
        db_id TEXT NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('ddl', 'documentation', 'question_sql')),
        content TEXT NOT NULL,           -- DDL text, documentation chunk, or the SQL of a pair
        question TEXT,                   -- for question_sql
        title TEXT,                      -- heading of a documentation chunk, table of a DDL item
        source TEXT NOT NULL,            -- schema | training-dir | user | feedback | api
        created_at TEXT NOT NULL
      );
      CREATE INDEX knowledge_by_db ON knowledge(db_id, kind);

      CREATE TABLE knowledge_embeddings (
        knowledge_id TEXT NOT NULL REFERENCES knowledge(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        dimensions INTEGER NOT NULL,
        vector BLOB NOT NULL,            -- little-endian float32
        PRIMARY KEY (knowledge_id, model_id)
      );

      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('query', 'chat')),
        title TEXT,
        db_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
        content TEXT NOT NULL,
        tool_calls_json TEXT,
        tool_call_id TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX messages_by_conversation ON messages(conversation_id, created_at);

      -- Every answered (or failed) question.
      CREATE TABLE history (
        id TEXT PRIMARY KEY,
        db_id TEXT NOT NULL,
        conversation_id TEXT,
        question TEXT NOT NULL,
        standalone_question TEXT,
        sql TEXT,
        source TEXT,                     -- model | example | cache
        row_count INTEGER,
        error TEXT,
        model TEXT,
        backend TEXT,
        attempts_json TEXT,
        timings_json TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX history_by_time ON history(created_at);
      CREATE INDEX history_by_conversation ON history(conversation_id, created_at);

      CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        history_id TEXT,
        db_id TEXT NOT NULL,
        question TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'corrected')),
        wrong_sql TEXT,
        correct_sql TEXT NOT NULL,
        knowledge_id TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE feature_flags (
        id TEXT PRIMARY KEY,
        enabled INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Per-model inference figures, accumulated across runs.
      CREATE TABLE model_metrics (
        model TEXT NOT NULL,
        backend TEXT NOT NULL,
        total_requests INTEGER NOT NULL DEFAULT 0,
        successful_requests INTEGER NOT NULL DEFAULT 0,
        failed_requests INTEGER NOT NULL DEFAULT 0,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        generated_tokens INTEGER NOT NULL DEFAULT 0,
        generation_ms REAL NOT NULL DEFAULT 0,
        prompt_ms REAL NOT NULL DEFAULT 0,
        peak_memory_bytes INTEGER NOT NULL DEFAULT 0,
        last_load_ms REAL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (model, backend)
      );
    `,
  },
  {
    version: 2,
    name: "download plan",
    sql: `
      -- The resolved download plan (model id, name, kind, source, headers-free), so a download left
      -- by an earlier process can be resumed without resolving its spec again.
      ALTER TABLE downloads ADD COLUMN plan_json TEXT;
    `,
  },
  {
    version: 4,
    name: "text-to-sql answer cache",
    sql: `
      -- Answers keyed by normalised question, schema fingerprint, knowledge version and model;
      -- rows of a superseded fingerprint or knowledge version are deleted when the key moves on.
      CREATE TABLE answer_cache (
        key TEXT PRIMARY KEY,
        db_id TEXT NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
        answer_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX answer_cache_by_db ON answer_cache(db_id);
      CREATE INDEX history_by_db ON history(db_id, created_at);
      CREATE INDEX knowledge_by_question ON knowledge(db_id, question) WHERE kind = 'question_sql';
    `,
  },
  {
    version: 5,
    name: "backend host health",
    sql: `
      -- Health of remote inference hosts (Ollama), kept across runs so \`askdb status\` can show the
      -- last check and the run of consecutive failures seen by a long-running server.
      CREATE TABLE host_health (
        host TEXT PRIMARY KEY,
        url TEXT,
        ok INTEGER NOT NULL,
        response_ms REAL,
        error TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_check_at TEXT NOT NULL,
        last_ok_at TEXT
      );
    `,
  },
  {
    version: 3,
    name: "chat conversation summaries",
    sql: `
      -- When a chat outgrows the model's context, its oldest messages are summarised: the summary
      -- stands in for the first summarized_count messages (in created_at, rowid order).
      ALTER TABLE conversations ADD COLUMN summary TEXT;
      ALTER TABLE conversations ADD COLUMN summarized_count INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 6,
    name: "browser extension pairing",
    sql: `
      -- One-time pairing codes (askdb extension pair, the settings page), kept hashed until used or expired.
      CREATE TABLE extension_pairing_codes (
        code_hash TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
      );
      -- Paired browser extensions: each holds its own revocable credential (kept hashed), bound to its origin.
      CREATE TABLE extension_connections (
        id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        browser TEXT NOT NULL,
        credential_hash TEXT NOT NULL UNIQUE,
        tab_count INTEGER NOT NULL DEFAULT 0,
        request_count INTEGER NOT NULL DEFAULT 0,
        established_at TEXT NOT NULL,
        last_activity_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: "browser extension page contexts",
    sql: `
      -- Page contexts the browser extension sent, already filtered and redacted; kept by extension.contextRetention.
      CREATE TABLE extension_contexts (
        id TEXT PRIMARY KEY,
        connection_id TEXT REFERENCES extension_connections(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        content_type TEXT NOT NULL,
        selection TEXT NOT NULL,
        text TEXT NOT NULL,
        redactions_json TEXT NOT NULL,
        extracted_at TEXT NOT NULL
      );
      CREATE INDEX extension_contexts_by_time ON extension_contexts(extracted_at);
    `,
  },
];
