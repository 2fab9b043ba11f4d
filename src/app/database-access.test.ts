import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AskDbError } from "../errors/index.js";
import { createDatabaseAccess, demoDatabasePath } from "./database-access.js";

const root = mkdtempSync(join(tmpdir(), "askdb-database-access-"));
const dataDir = join(root, "data");
const allowedFolder = join(root, "allowed");
const elsewhere = join(root, "elsewhere");
for (const dir of [dataDir, allowedFolder, elsewhere]) mkdirSync(dir);
writeFileSync(join(dataDir, "askdb.sqlite"), "store");
writeFileSync(join(elsewhere, "secret.sqlite"), "secret");
symlinkSync(dataDir, join(allowedFolder, "link-to-data"));
symlinkSync(join(elsewhere, "secret.sqlite"), join(allowedFolder, "link-to-secret.sqlite"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const access = createDatabaseAccess({
  dataDir,
  startupDb: join(elsewhere, "started.sqlite"),
  allowed: () => [allowedFolder],
});

function refusal(path: string): string | undefined {
  try {
    access.assertConnected(path);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AskDbError);
    return JSON.stringify((error as AskDbError).toJSON());
  }
}

describe("the databases the HTTP API may open", () => {
  it("are the one askdb started with, the demo, and what is under databases.allowed", () => {
    for (const path of [
      join(elsewhere, "started.sqlite"),
      demoDatabasePath(dataDir),
      join(allowedFolder, "shop.sqlite"),
      join(allowedFolder, "sub", "deeper.sqlite"),
      `${allowedFolder}/sub/../shop.sqlite`,
    ]) {
      expect(refusal(path), path).toBeUndefined();
    }
  });

  it("never include askdb's own data folder, even through an allowed folder or a link", () => {
    for (const path of [
      join(dataDir, "askdb.sqlite"),
      join(dataDir, "missing.sqlite"),
      `${dataDir}/demo/../askdb.sqlite`,
      join(allowedFolder, "link-to-data", "askdb.sqlite"),
      join(allowedFolder, "link-to-data", "missing.sqlite"),
    ]) {
      expect(refusal(path), path).toBeDefined();
    }
  });

  it("refuse everything else with one answer, whether the file exists or not", () => {
    const answers = [
      join(elsewhere, "secret.sqlite"),
      join(elsewhere, "missing.sqlite"),
      join(allowedFolder, "link-to-secret.sqlite"),
      `${allowedFolder}/../elsewhere/secret.sqlite`,
      join(allowedFolder + "-sibling", "x.sqlite"),
      "/etc/passwd",
    ].map(refusal);
    expect(answers.every((answer) => answer !== undefined)).toBe(true);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/FORBIDDEN.*databases\.allowed/);
  });
});
