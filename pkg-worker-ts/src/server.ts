import type { Server } from "bun";
import { workerLog, type WorkerLog } from "./log";
import { watchParent } from "./parent";
import { settingsFromEnvironment, type WorkerSettings } from "./settings";

/** Handles one request; the path has the route prefix stripped already. */
export type Handler = (request: Request, server: Server) => Response | Promise<Response>;

/** Handler whose request carries the `:name` parameters of its route pattern. */
type RouteHandler = (request: any, server: Server) => Response | Promise<Response>;

/** Routes as `Bun.serve` takes them: a handler, a static Response or handlers by method. */
export type Routes = Record<string, RouteHandler | Response | Record<string, RouteHandler>>;

export interface WorkerOptions {
  /** Route patterns such as `/items/:id`, matched by Bun before `fetch`. */
  routes?: Routes;
  /** Handles the requests that no route matches; default: 404. */
  fetch?: Handler;
  /** Default: read from the environment with {@link settingsFromEnvironment}. */
  settings?: WorkerSettings;
  /** Runs after the last in-flight request of a graceful stop, before the process exits. */
  onStop?: () => void | Promise<void>;
}

export interface RunningWorker {
  server: Server;
  settings: WorkerSettings;
  log: WorkerLog;
  /** Returns the number of requests whose handlers are running. */
  inFlight(): number;
  /** Stops taking requests, waits for those in flight up to the grace period and exits. */
  stop(): Promise<never>;
}

/** Connection idle time in seconds; Bun's maximum, above TQServer's 120 s pool idle time. */
const IDLE_TIMEOUT_SECONDS = 255;

/**
 * Starts the HTTP server of a worker on 127.0.0.1 and the port from WORKER_PORT. It serves
 * `GET /health` itself (200, or 503 while stopping), stops gracefully on SIGTERM and SIGINT, and
 * exits when TQServer exits.
 */
export function serveWorker(options: WorkerOptions): RunningWorker {
  const settings = options.settings ?? settingsFromEnvironment();
  const log = workerLog(settings.name);
  let inFlight = 0;
  let stopping: Promise<never> | undefined;

  const track = <H extends RouteHandler>(handler: H): H =>
    (async (request: Request, server: Server) => {
      inFlight++;
      try {
        return await handler(request, server);
      } finally {
        inFlight--;
      }
    }) as H;

  const health = () =>
    Response.json(
      { status: stopping ? "stopping" : "ok", name: settings.name, in_flight: inFlight },
      { status: stopping ? 503 : 200 },
    );
  const fallback = options.fetch ?? (() => new Response("Not Found\n", { status: 404 }));

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: settings.port,
    idleTimeout: IDLE_TIMEOUT_SECONDS,
    development: settings.mode === "development",
    routes: { ...wrapRoutes(options.routes ?? {}, track), "/health": { GET: health } },
    fetch: track(fallback),
    error(error) {
      log.error("request failed", error);
      return new Response("Internal Server Error\n", { status: 500 });
    },
  });

  const stop = (): Promise<never> => {
    stopping ??= drainAndExit(server, settings, log, () => inFlight, options.onStop);
    return stopping;
  };
  process.on("SIGTERM", () => {
    log.info("SIGTERM received, stopping gracefully");
    void stop();
  });
  process.on("SIGINT", () => void stop());
  watchParent(settings.parentPid, () => {
    log.warn("TQServer exited, stopping");
    server.stop(true);
    process.exit(0);
  });
  log.info(`listening on 127.0.0.1:${server.port} route=${settings.route} mode=${settings.mode}`);
  return { server, settings, log, inFlight: () => inFlight, stop };
}

/** Closes the listener, waits for in-flight requests up to the grace period, then exits 0. */
async function drainAndExit(
  server: Server,
  settings: WorkerSettings,
  log: WorkerLog,
  inFlight: () => number,
  onStop: (() => void | Promise<void>) | undefined,
): Promise<never> {
  const deadline = Date.now() + settings.shutdownGraceMs;
  void server.stop(false);
  while (inFlight() > 0 && Date.now() < deadline) {
    await Bun.sleep(10);
  }
  if (inFlight() > 0) {
    log.warn(`stopping with ${inFlight()} requests in flight after ${settings.shutdownGraceMs} ms`);
  }
  try {
    await onStop?.();
  } catch (error) {
    log.error("onStop failed", error);
  }
  log.info("stopped");
  process.exit(0);
}

function wrapRoutes(routes: Routes, track: <H extends RouteHandler>(handler: H) => H): Routes {
  const wrapped: Routes = {};
  for (const [pattern, route] of Object.entries(routes)) {
    if (typeof route === "function") {
      wrapped[pattern] = track(route);
    } else if (route instanceof Response) {
      wrapped[pattern] = route;
    } else {
      const byMethod: Record<string, RouteHandler> = {};
      for (const [method, handler] of Object.entries(route)) {
        byMethod[method] = track(handler);
      }
      wrapped[pattern] = byMethod;
    }
  }
  return wrapped;
}
