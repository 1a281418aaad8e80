package io.avalonsync.sandbox;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The benchmarks' other process: an in-memory Mongo-protocol store and the Kitsu simulator filled with a
 * generated production, so that the JVM under measurement holds only the service. Driven over
 * stdin/stdout, one command per line; protocol lines on stdout start with {@code "SIM "} (anything else
 * there is log output):
 * <pre>
 *   java -cp avalon-sync.jar io.avalonsync.sandbox.KitsuSimulatorMain large|small|demo|t,a,n,e,s,h,k [latencyMs]
 *   -> SIM READY mongo=mongodb://127.0.0.1:p kitsu=http://127.0.0.1:p
 *   count   -> SIM COUNT n              (requests since start or the last reset)
 *   routes  -> SIM ROUTE GET /api/... n  (one line per route) then SIM END
 *   reset   -> SIM OK                   (request counters back to 0)
 *   latency ms -> SIM OK
 *   quit, or stdin closed -> stops and exits
 * </pre>
 * The spec numbers are those of {@link SampleProduction.Spec}: tvshow projects, asset types, assets per
 * project, episodes, sequences per episode, shots per sequence, tasks per entity.
 */
public final class KitsuSimulatorMain {

    private KitsuSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        SampleProduction.Spec spec = spec(args.length > 0 ? args[0] : "large");
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 2;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

        long started = System.nanoTime();
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, spec);
        long generated = System.nanoTime();
        EmbeddedMongo mongo = EmbeddedMongo.inMemory();
        KitsuSimulator kitsu = KitsuSimulator.start(0, data);
        kitsu.setLatencyMillis(latency);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(kitsu, mongo), "simulator-shutdown"));
        out.printf("SIM INFO spec=%s latency=%d ms generated in %d ms%n", spec, latency,
                (generated - started) / 1_000_000);
        out.printf("SIM READY mongo=%s kitsu=%s%n", mongo.uri(), kitsu.baseUrl());

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "count":
                    out.println("SIM COUNT " + kitsu.requestCount());
                    break;
                case "routes":
                    for (Map.Entry<String, Long> route : kitsu.requestCountsByRoute().entrySet()) {
                        out.println("SIM ROUTE " + route.getKey() + " " + route.getValue());
                    }
                    out.println("SIM END");
                    break;
                case "reset":
                    kitsu.resetCounts();
                    out.println("SIM OK");
                    break;
                case "latency":
                    kitsu.setLatencyMillis(Long.parseLong(words[1]));
                    out.println("SIM OK");
                    break;
                case "quit":
                    System.exit(0);
                    break;
                case "":
                    break;
                default:
                    out.println("SIM ERROR unknown command '" + words[0] + "'");
            }
        }
        // stdin closed: the parent is gone or done; the shutdown hook stops both servers
        System.exit(0);
    }

    static SampleProduction.Spec spec(String name) {
        switch (name) {
            case "large":
                return SampleProduction.Spec.large();
            case "demo":
                return SampleProduction.Spec.demo();
            case "small":
                // a tenth of every size of the large production (tasks per entity stays 6)
                return new SampleProduction.Spec(1, 5, 200, 2, 10, 50, 6);
            default:
                String[] n = name.split(",");
                if (n.length != 7) {
                    throw new IllegalArgumentException("spec: large, small, demo or 7 comma-separated numbers, not " + name);
                }
                return new SampleProduction.Spec(Integer.parseInt(n[0]), Integer.parseInt(n[1]), Integer.parseInt(n[2]),
                        Integer.parseInt(n[3]), Integer.parseInt(n[4]), Integer.parseInt(n[5]), Integer.parseInt(n[6]));
        }
    }

    private static void close(KitsuSimulator kitsu, EmbeddedMongo mongo) {
        try {
            kitsu.close();
        } finally {
            mongo.close();
        }
    }
}
