import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installToken, tokenFileOf } from "./install-token.js";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "askdb-install-token-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("the installation's server token", () => {
  it("is created on first use, readable by its owner only, and the same at every start", () => {
    const dir = dataDir();
    const token = installToken(dir);
    expect(token).toMatch(/^[\w-]{32,}$/);
    expect(readFileSync(tokenFileOf(dir), "utf8").trim()).toBe(token);
    expect(modeOf(tokenFileOf(dir))).toBe(0o600);
    expect(installToken(dir)).toBe(token);
    expect(installToken(dataDir())).not.toBe(token);
  });

  it("narrows permissions someone widened, and replaces a file that holds no token", () => {
    const dir = dataDir();
    const token = installToken(dir);
    chmodSync(tokenFileOf(dir), 0o644);
    expect(installToken(dir)).toBe(token);
    expect(modeOf(tokenFileOf(dir))).toBe(0o600);

    writeFileSync(tokenFileOf(dir), "short\n", { mode: 0o666 });
    chmodSync(tokenFileOf(dir), 0o666);
    const replaced = installToken(dir);
    expect(replaced).not.toBe("short");
    expect(replaced.length).toBeGreaterThanOrEqual(32);
    expect(modeOf(tokenFileOf(dir))).toBe(0o600);
  });
});
