/**
 * Library that TQServer's Bun workers are written against. See docs/workers.md for the
 * contract between TQServer and a worker process.
 */
export { workerLog, type WorkerLog } from "./log";
export { PARENT_CHECK_INTERVAL_MS, watchParent } from "./parent";
export { settingsFromEnvironment, type WorkerMode, type WorkerSettings } from "./settings";
export {
  serveWorker,
  type Handler,
  type Routes,
  type RunningWorker,
  type WorkerOptions,
} from "./server";
