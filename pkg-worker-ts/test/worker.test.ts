import { afterEach, describe, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { readFileSync } from "node:fs";

const fixtures = `${import.meta.dir}/fixtures`;
const started: Subprocess[] = [];

afterEach(() => {
  for (const process of started.splice(0)) {
    process.kill("SIGKILL");
  }
});

/** Starts slow-worker.ts and returns it with the port from its "listening on" line. */
type PipedProcess = Subprocess<"ignore", "pipe", "inherit">;

async function startWorker(): Promise<{ worker: PipedProcess; port: number }> {
  const env = { ...process.env, WORKER_PORT: "0", WORKER_NAME: "slow" };
  const worker = Bun.spawn([process.execPath, `${fixtures}/slow-worker.ts`], {
    env: { ...env, WORKER_SHUTDOWN_GRACE_MS: "5000" },
    stdout: "pipe",
  });
  started.push(worker);
  const reader = worker.stdout.getReader();
  let output = "";
  while (!/listening on 127\.0\.0\.1:(\d+)/.test(output)) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error(`worker exited before listening: ${output}`);
    }
    output += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { worker, port: Number(/listening on 127\.0\.0\.1:(\d+)/.exec(output)![1]) };
}

/** Returns whether `pid` runs, counting an exited child that was not reaped (state Z) as exited. */
function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
}

describe("serveWorker", () => {
  test("health returns ok", async () => {
    const { port } = await startWorker();

    const response = await fetch(`http://127.0.0.1:${port}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", name: "slow", in_flight: 0 });
  });

  test("SIGTERM finishes in-flight request", async () => {
    const { worker, port } = await startWorker();
    const slow = fetch(`http://127.0.0.1:${port}/slow`);
    await Bun.sleep(100);

    worker.kill("SIGTERM");

    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("slow done");
    expect(await worker.exited).toBe(0);
  });

  test("exits when parent is killed", async () => {
    const parent = Bun.spawn([process.execPath, `${fixtures}/parent.ts`], { stdout: "pipe" });
    started.push(parent);
    const childPid = Number(await readLine(parent));
    // Gives the child time to start its parent watcher.
    await Bun.sleep(300);
    expect(isRunning(childPid)).toBe(true);

    parent.kill("SIGKILL");

    let running = true;
    for (let poll = 0; poll < 1000 && running; poll++) {
      await Bun.sleep(10);
      running = isRunning(childPid);
    }
    expect(running).toBe(false);
  });
});

async function readLine(process: PipedProcess): Promise<string> {
  const reader = process.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  return new TextDecoder().decode(value).trim();
}
