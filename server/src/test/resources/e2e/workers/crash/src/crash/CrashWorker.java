package crash;

/**
 * Test worker that exits with status 7 before it listens, so it never passes its health check
 * and TQServer keeps restarting it with backoff.
 */
public final class CrashWorker {

    private CrashWorker() {
    }

    public static void main(String[] args) {
        System.out.println("crash worker exiting with status 7");
        System.exit(7);
    }
}
