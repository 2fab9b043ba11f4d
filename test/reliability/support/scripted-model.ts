import { startOpenAiTestServer, type ScriptOptions } from "../../../src/engine/testing/index.js";
import { startTestServer, type TestServer } from "../../../src/server/testing/index.js";

const KEY_ENV = "ASKDB_RELIABILITY_OPENAI_KEY";

export interface ScriptedAskDb {
  server: TestServer;
  close(): Promise<void>;
}

/**
 * askdb served on loopback over `dbPath`, answering through an OpenAI-compatible test server whose
 * replies are scripted: the stand-in for a model that writes whatever the test wants (hostile SQL,
 * obeyed injections). That backend takes no grammar, so the pipeline extracts SQL from free text.
 */
export async function startScriptedAskDb(
  dbPath: string,
  reply: NonNullable<ScriptOptions["reply"]>,
): Promise<ScriptedAskDb> {
  const model = await startOpenAiTestServer({ reply });
  process.env[KEY_ENV] = "local-test-key";
  const server = await startTestServer({ askdb: { db: dbPath, env: {} } });
  const { settings } = server.askdb;
  settings.set("openai.url", model.url);
  settings.set("openai.model", "test-model");
  settings.set("openai.apiKeyEnv", KEY_ENV);
  settings.set("backend.order", ["openai"]);
  return {
    server,
    close: async () => {
      await server.close();
      await model.close();
    },
  };
}
