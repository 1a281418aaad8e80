package io.avalonsync.sandbox;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmarks' other process: an in-memory Mongo-protocol store and the Kitsu simulator filled with a
 * generated production, so that the JVM under measurement holds only the service. Driven over
 * stdin/stdout, one command per line; protocol lines on stdout start with {@code "SIM "} (anything else
 * there is log output):
 * <pre>
 *   java -cp avalon-sync-demo.jar io.avalonsync.sandbox.KitsuSimulatorMain large|small|demo|t,a,n,e,s,h,k [latencyMs]
 *   -> SIM INFO ... login=admin@example.com password=...   (the login the simulator accepts)
 *   -> SIM READY mongo=mongodb://127.0.0.1:p kitsu=http://127.0.0.1:p events=http://127.0.0.1:p
 *   count   -> SIM COUNT n              (requests since start or the last reset)
 *   routes  -> SIM ROUTE GET /api/... n  (one line per route) then SIM END
 *   reset   -> SIM OK                   (request counters back to 0)
 *   latency ms -> SIM OK
 *   clients -> SIM CLIENTS n            (connections that joined the /events namespace)
 *   events  -> SIM EVENTS n             (events in Kitsu's event log)
 *   jit     -> SIM JIT ms               (this JVM's JIT compiling time so far)
 *   mark    -> SIM OK mark              (after the wall clock is 2 whole seconds past every event so far, logs one
 *                                        person:update, an event the service does not journal: a listener starting
 *                                        from the newest event then finds one event in that second, not the
 *                                        generated production's thousands)
 *   burst rate seconds [entities]
 *           -> SIM OK burst             at once; then, on a thread of its own, rate*seconds changes at a steady
 *                                       rate, each one line (t = System.currentTimeMillis() just before the change;
 *                                       i counts the changes of every burst so far, so values never repeat):
 *              SIM CHANGE i zouId frameEnd|name value t
 *           -> SIM BURST-DONE n elapsedMs maxLagMs   (lag: how late the most behind change was made)
 *              (SIM ERROR while a burst is still running)
 *   quit, or stdin closed -> stops and exits
 * </pre>
 * A burst changes the open projects' shots and assets in a seeded shuffled round-robin (the first
 * {@code entities} of it when given, so that changes to one entity come closer together): a shot gets a new
 * {@code frame_out} (Avalon {@code data.frameEnd}), an asset a new name ({@code <name>_r<i>}, already a valid
 * Avalon name); each change makes exactly one {@code shot:update} or {@code asset:update} event. Values grow with
 * {@code i}, so a later value of an entity is the larger one.
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
        SimulatorConsole.closeOnExit(kitsu, mongo);
        out.printf("SIM INFO spec=%s latency=%d ms generated in %d ms login=%s password=%s%n", spec, latency,
                (generated - started) / 1_000_000, KitsuSimulator.EMAIL, KitsuSimulator.PASSWORD);
        out.printf("SIM READY mongo=%s kitsu=%s events=%s%n", mongo.uri(), kitsu.baseUrl(), kitsu.eventsUrl());

        SimulatorConsole.run(kitsu, out, words -> {
            switch (words[0]) {
                case "clients":
                    out.println("SIM CLIENTS " + kitsu.eventClients());
                    return true;
                case "events":
                    out.println("SIM EVENTS " + data.events().size());
                    return true;
                case "jit":
                    out.println("SIM JIT " + java.lang.management.ManagementFactory.getCompilationMXBean()
                            .getTotalCompilationTime());
                    return true;
                case "mark":
                    long second = System.currentTimeMillis() / 1000;
                    while (System.currentTimeMillis() < (second + 2) * 1000) {
                        Thread.sleep(Math.max(1, (second + 2) * 1000 - System.currentTimeMillis()));
                    }
                    data.recordEvent("person:update", Map.of("person_id", data.adminPerson().get("id")), null);
                    out.println("SIM OK mark");
                    return true;
                case "burst":
                    startBurst(data, out, Double.parseDouble(words[1]), Double.parseDouble(words[2]),
                            words.length > 3 ? Integer.parseInt(words[3]) : Integer.MAX_VALUE);
                    out.println("SIM OK burst");
                    return true;
                default:
                    return false;
            }
        });
        // stdin closed: the parent is gone or done; the shutdown hook stops both servers
        System.exit(0);
    }

    /** One entity a burst changes: its id, and the kind of change (shot frame range or asset name). */
    private record Target(String id, boolean shot, String baseName) {
    }

    /** Changes made by every burst so far: the next change's number. */
    private static int changes;
    private static Thread burst;

    /** Changes shots and assets at {@code rate} per second for {@code seconds}, reporting each change on stdout. */
    @SuppressWarnings("unchecked")
    static synchronized void startBurst(KitsuData data, PrintStream out, double rate, double seconds, int entities) {
        if (burst != null && burst.isAlive()) {
            throw new IllegalStateException("a burst is running");
        }
        List<Target> targets = new ArrayList<>();
        for (Map<String, Object> project : data.projects()) {
            String projectId = (String) project.get("id");
            for (Map<String, Object> shot : data.entities(projectId, KitsuData.SHOT)) {
                targets.add(new Target((String) shot.get("id"), true, null));
            }
            for (Map<String, Object> asset : data.entities(projectId, KitsuData.ASSET)) {
                targets.add(new Target((String) asset.get("id"), false,
                        String.valueOf(asset.get("name")).replaceAll("[^A-Za-z0-9]+", "_")));
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalStateException("no shot or asset to change");
        }
        Collections.shuffle(targets, new Random(327));
        List<Target> pool = targets.subList(0, Math.max(1, Math.min(entities, targets.size())));
        int count = (int) Math.round(rate * seconds);
        long intervalNanos = (long) (1e9 / rate);
        int first = changes;
        changes += count;
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            long maxLag = 0;
            for (int i = first; i < first + count; i++) {
                long due = start + (i - first) * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                maxLag = Math.max(maxLag, System.nanoTime() - due);
                Target target = pool.get(i % pool.size());
                String field;
                String value;
                long sent = System.currentTimeMillis();
                if (target.shot()) {
                    Map<String, Object> shot = data.get(target.id());
                    Map<String, Object> shotData = shot.get("data") instanceof Map<?, ?> m
                            ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
                    int frameOut = 2000 + i;
                    shotData.putIfAbsent("frame_in", 1001);
                    shotData.put("frame_out", frameOut);
                    data.update(target.id(), Map.of("data", shotData));
                    field = "frameEnd";
                    value = Integer.toString(frameOut);
                } else {
                    value = String.format("%s_r%06d", target.baseName(), i);
                    data.update(target.id(), Map.of("name", value));
                    field = "name";
                }
                out.println("SIM CHANGE " + i + " " + target.id() + " " + field + " " + value + " " + sent);
            }
            out.printf("SIM BURST-DONE %d %d %d%n", count, (System.nanoTime() - start) / 1_000_000, maxLag / 1_000_000);
        }, "simulator-burst");
        thread.setDaemon(true);
        thread.start();
        burst = thread;
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
}
