/** Log lines on stdout and stderr, which TQServer copies into the worker's log file. */
export interface WorkerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Creates a log whose lines start with the level and the worker name. */
export function workerLog(name: string): WorkerLog {
  return {
    info: (message) => console.log(`INFO ${name}: ${message}`),
    warn: (message) => console.error(`WARN ${name}: ${message}`),
    error: (message, error) => {
      const cause = error === undefined ? "" : `: ${describe(error)}`;
      console.error(`ERROR ${name}: ${message}${cause}`);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
