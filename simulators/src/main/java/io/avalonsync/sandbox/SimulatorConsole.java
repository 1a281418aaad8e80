package io.avalonsync.sandbox;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The stdin command loop of the benchmarks' simulator processes ({@link KitsuSimulatorMain},
 * {@link ShotGridSimulatorMain}): one command per line, answers on stdout as {@code SIM ...} lines. It answers
 * what every simulator has itself ({@code count}, {@code routes}, {@code reset}, {@code latency ms},
 * {@code quit}) and hands the rest to the simulator's own commands; a command that fails answers
 * {@code SIM ERROR <command>: <message>}. Returns when stdin is closed (the parent is gone or done).
 */
final class SimulatorConsole {

    /** A simulator's own commands: answers {@code words} and returns true, or returns false when unknown. */
    @FunctionalInterface
    interface Commands {
        boolean run(String[] words) throws Exception;
    }

    private SimulatorConsole() {
    }

    static void run(HttpSimulator simulator, PrintStream out, Commands own) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            try {
                if (!common(simulator, out, words) && !own.run(words)) {
                    out.println("SIM ERROR unknown command '" + words[0] + "'");
                }
            } catch (RuntimeException e) {
                out.println("SIM ERROR " + words[0] + ": " + e.getMessage());
            }
        }
    }

    /** When the JVM exits (quit, stdin closed, killed): the simulator stops, then the store. */
    static void closeOnExit(HttpSimulator simulator, EmbeddedMongo mongo) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                simulator.close();
            } finally {
                mongo.close();
            }
        }, "simulator-shutdown"));
    }

    private static boolean common(HttpSimulator simulator, PrintStream out, String[] words) {
        switch (words[0]) {
            case "count":
                out.println("SIM COUNT " + simulator.requestCount());
                return true;
            case "routes":
                for (Map.Entry<String, Long> route : simulator.requestCountsByRoute().entrySet()) {
                    out.println("SIM ROUTE " + route.getKey() + " " + route.getValue());
                }
                out.println("SIM END");
                return true;
            case "reset":
                simulator.resetCounts();
                out.println("SIM OK");
                return true;
            case "latency":
                simulator.setLatencyMillis(Long.parseLong(words[1]));
                out.println("SIM OK");
                return true;
            case "quit":
                System.exit(0);
                return true;
            case "":
                return true;
            default:
                return false;
        }
    }
}
