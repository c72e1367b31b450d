package dev.streamsight.cli;

/** Entry point of the {@code streamsight} command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
