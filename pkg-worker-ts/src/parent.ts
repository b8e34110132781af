/** Time between two checks; a worker notices a gone TQServer within this many milliseconds. */
export const PARENT_CHECK_INTERVAL_MS = 250;

/**
 * Calls `onGone` once TQServer has exited, so that a worker whose supervisor was killed with
 * SIGKILL stops by itself instead of holding its port. TQServer counts as gone when the process
 * is re-parented (`process.ppid` changes) or when `parentPid` no longer exists.
 *
 * @returns a function that stops watching
 */
export function watchParent(parentPid: number | undefined, onGone: () => void): () => void {
  const initialParent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== initialParent || !isAlive(parentPid ?? initialParent)) {
      clearInterval(timer);
      onGone();
    }
  }, PARENT_CHECK_INTERVAL_MS);
  // The check alone must not keep the process running.
  timer.unref();
  return () => clearInterval(timer);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
