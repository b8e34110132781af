import { describe, expect, test } from "bun:test";
import { settingsFromEnvironment } from "../src/settings";

describe("settingsFromEnvironment", () => {
  test("reads every variable", () => {
    const settings = settingsFromEnvironment({
      WORKER_PORT: "9001",
      WORKER_NAME: "api",
      WORKER_ROUTE: "/api",
      WORKER_MODE: "development",
      WORKER_SHUTDOWN_GRACE_MS: "750",
      TQSERVER_PID: "42",
    });

    expect(settings).toEqual({
      port: 9001,
      name: "api",
      route: "/api",
      mode: "development",
      shutdownGraceMs: 750,
      parentPid: 42,
    });
  });

  test("port alone gives defaults", () => {
    const settings = settingsFromEnvironment({ WORKER_PORT: "0" });

    expect(settings.name).toBe("worker");
    expect(settings.route).toBe("/");
    expect(settings.mode).toBe("production");
    expect(settings.shutdownGraceMs).toBe(5000);
    expect(settings.parentPid).toBeUndefined();
  });

  test.each([
    [{}, "WORKER_PORT is missing (expected: the port to listen on, 0 to 65535)"],
    [{ WORKER_PORT: "x" }, "WORKER_PORT: x (expected: an integer from 0 to 65535)"],
    [{ WORKER_PORT: "65536" }, "WORKER_PORT: 65536 (expected: an integer from 0 to 65535)"],
    [
      { WORKER_PORT: "1", WORKER_ROUTE: "api" },
      "WORKER_ROUTE: api (expected: a path starting with /)",
    ],
    [
      { WORKER_PORT: "1", WORKER_MODE: "dev" },
      "WORKER_MODE: dev (expected: development or production)",
    ],
    [
      { WORKER_PORT: "1", WORKER_SHUTDOWN_GRACE_MS: "-1" },
      "WORKER_SHUTDOWN_GRACE_MS: -1 (expected: an integer from 0 to 3600000)",
    ],
    [
      { WORKER_PORT: "1", TQSERVER_PID: "0" },
      "TQSERVER_PID: 0 (expected: an integer from 1 to 2147483648)",
    ],
  ])("rejects %p", (env, message) => {
    expect(() => settingsFromEnvironment(env)).toThrow(message);
  });
});
