package dev.streamsight.embedded;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the child JVM started by {@link KafkaBrokerProcess}: runs {@code kafka.Kafka}
 * with the given {@code server.properties}, and stops the broker (a normal JVM exit, so Kafka's
 * own shutdown hook runs) when its standard input reaches end of file, which happens when the
 * parent JVM dies, even by SIGKILL. This keeps a crashed test run from leaving brokers behind.
 *
 * <p>Not meant to be called by users: {@code java -cp ... dev.streamsight.embedded.ChildBrokerMain
 * server.properties}.
 */
public final class ChildBrokerMain {

    private ChildBrokerMain() {
    }

    /**
     * Starts the parent watchdog, then runs {@code kafka.Kafka.main(args)}.
     *
     * @param args the path of {@code server.properties}, as for {@code kafka.Kafka}
     */
    public static void main(String[] args) {
        Thread watchdog = new Thread(ChildBrokerMain::exitWhenParentGone, "streamsight-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }

    private static void exitWhenParentGone() {
        InputStream in = System.in;
        byte[] buf = new byte[64];
        try {
            while (in.read(buf) >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of file
        }
        System.err.println("streamsight: parent process gone, stopping the broker");
        System.exit(0);
    }
}
