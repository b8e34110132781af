package io.tqserver.cli;

/** Entry point of the {@code tqserver} launcher. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(TqServerCommand.execute(args));
    }
}
