/** Worker mode from WORKER_MODE: development reloads on change, production does not. */
export type WorkerMode = "development" | "production";

/** Settings of a worker process, read from the environment that TQServer starts it with. */
export interface WorkerSettings {
  /** TCP port to listen on at 127.0.0.1, from WORKER_PORT (required); 0 picks a free port. */
  port: number;
  /** Worker name used in log lines, from WORKER_NAME; default "worker". */
  name: string;
  /** Route prefix that the proxy strips before forwarding, from WORKER_ROUTE; default "/". */
  route: string;
  /** From WORKER_MODE; default "production". */
  mode: WorkerMode;
  /** Time in-flight requests get on SIGTERM, from WORKER_SHUTDOWN_GRACE_MS; default 5000. */
  shutdownGraceMs: number;
  /** TQServer's process id from TQSERVER_PID, or undefined to watch the parent process. */
  parentPid: number | undefined;
}

/** Upper bound of WORKER_SHUTDOWN_GRACE_MS: one hour. */
const MAX_SHUTDOWN_GRACE_MS = 3_600_000;

/**
 * Reads the settings from environment variables.
 *
 * @throws Error naming the variable, its value and what is expected, when one is invalid
 */
export function settingsFromEnvironment(
  env: Record<string, string | undefined> = process.env,
): WorkerSettings {
  const portText = text(env, "WORKER_PORT", "");
  if (portText === "") {
    throw new Error("WORKER_PORT is missing (expected: the port to listen on, 0 to 65535)");
  }
  const port = integer("WORKER_PORT", portText, 0, 65_535);
  const route = text(env, "WORKER_ROUTE", "/");
  if (!route.startsWith("/")) {
    throw new Error(`WORKER_ROUTE: ${route} (expected: a path starting with /)`);
  }
  const modeText = text(env, "WORKER_MODE", "production");
  if (modeText !== "development" && modeText !== "production") {
    throw new Error(`WORKER_MODE: ${modeText} (expected: development or production)`);
  }
  const graceText = text(env, "WORKER_SHUTDOWN_GRACE_MS", "5000");
  const pidText = text(env, "TQSERVER_PID", "");
  return {
    port,
    name: text(env, "WORKER_NAME", "worker"),
    route,
    mode: modeText,
    shutdownGraceMs: integer("WORKER_SHUTDOWN_GRACE_MS", graceText, 0, MAX_SHUTDOWN_GRACE_MS),
    parentPid: pidText === "" ? undefined : integer("TQSERVER_PID", pidText, 1, 2 ** 31),
  };
}

function text(env: Record<string, string | undefined>, key: string, fallback: string): string {
  const value = env[key]?.trim();
  return value === undefined || value === "" ? fallback : value;
}

function integer(key: string, value: string, min: number, max: number): number {
  const parsed = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`${key}: ${value} (expected: an integer from ${min} to ${max})`);
  }
  return parsed;
}
