/** `npm run fetch:test-models`: the test models from their public origins, checked against their pinned sha256. */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { AskDbError } from "../../errors/index.js";
import { sha256OfFile } from "../hash.js";
import { transferToPart } from "../transfer.js";
import type { TestModel } from "./fixtures.js";

export type FetchOutcome = "kept" | "downloaded";

/** Each model into `dir` unless a file with its sha256 is already there; a file that fails the check is never kept. */
export async function fetchTestModels(
  dir: string,
  models: readonly Omit<TestModel, "path">[],
  log: (line: string) => void = () => {},
): Promise<Record<string, FetchOutcome>> {
  mkdirSync(dir, { recursive: true });
  const outcomes: Record<string, FetchOutcome> = {};
  for (const model of models) {
    const target = join(dir, model.fileName);
    if (await hasPinnedContent(target, model)) {
      log(`${model.fileName}: already there, sha256 checked`);
      outcomes[model.fileName] = "kept";
      continue;
    }
    log(`${model.fileName}: downloading ${model.origin}`);
    await download(model, target);
    outcomes[model.fileName] = "downloaded";
    log(`${model.fileName}: downloaded, sha256 checked`);
  }
  return outcomes;
}

async function hasPinnedContent(path: string, model: Omit<TestModel, "path">): Promise<boolean> {
  return (
    existsSync(path) && statSync(path).size === model.sizeBytes && (await sha256OfFile(path)) === model.sha256
  );
}

async function download(model: Omit<TestModel, "path">, target: string): Promise<void> {
  const partPath = `${target}.part`;
  rmSync(partPath, { force: true });
  try {
    const { sha256 } = await transferToPart({
      url: model.origin,
      headers: {},
      partPath,
      expectedSize: model.sizeBytes,
      etag: null,
      signal: new AbortController().signal,
      stallTimeoutMs: 30_000,
      retries: 3,
      retryBaseDelayMs: 1000,
      onProgress: () => {},
    });
    if (sha256 !== model.sha256) {
      throw new AskDbError(
        "INTEGRITY_FAILED",
        `${model.fileName} from ${model.origin} has sha256 ${sha256}, not the pinned ${model.sha256}`,
        { hint: "the origin changed or the download was altered on the way; the file was not kept" },
      );
    }
    renameSync(partPath, target);
  } catch (error) {
    throw error instanceof AskDbError && error.code !== "INTEGRITY_FAILED"
      ? new AskDbError(error.code, error.message, {
          hint: "check the connection, then run `npm run fetch:test-models` again",
        })
      : error;
  } finally {
    rmSync(partPath, { force: true });
  }
}
