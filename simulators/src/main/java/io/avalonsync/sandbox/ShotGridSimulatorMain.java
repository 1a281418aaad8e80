package io.avalonsync.sandbox;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The ShotGrid benchmarks' other process: an in-memory Mongo-protocol store and the ShotGrid simulator filled
 * with a generated production (no events: the event log starts empty), so that the JVM under measurement
 * holds only the service. Driven over stdin/stdout, one command per line; protocol lines on stdout start with
 * {@code "SIM "} (anything else there is log output):
 * <pre>
 *   java -cp avalon-sync-demo.jar io.avalonsync.sandbox.ShotGridSimulatorMain large|small|demo|p,t,a,e,s,h,k [latencyMs [outOfOrderFraction [lateMs]]]
 *   -> SIM INFO ... script=avalon_sync key=...   (the script credentials the site accepts)
 *   -> SIM READY mongo=mongodb://127.0.0.1:p shotgrid=http://127.0.0.1:p
 *   count   -> SIM COUNT n                  (requests since start or the last reset)
 *   routes  -> SIM ROUTE POST /api/v1/entity/event_log_entries/_search n  (one line per route) then SIM END
 *   reset   -> SIM OK                       (request counters back to 0)
 *   latency ms -> SIM OK
 *   events  -> SIM EVENTS n lastId          (committed EventLogEntry rows; highest id allocated)
 *   outoforder fraction lateMs -> SIM OK    (for the next bursts)
 *   burst rate seconds
 *           -> SIM OK burst                 at once; then, on a thread of its own, rate*seconds changes at a steady
 *                                           rate, each one line (t = System.currentTimeMillis() just before the change;
 *                                           i counts the changes of every burst so far, so values never repeat):
 *              SIM CHANGE i shotId sg_cut_out value t
 *           -> SIM BURST-DONE n elapsedMs maxLagMs late   (lag: how late the most behind change was made;
 *                                                        late: changes whose event was committed late)
 *              (SIM ERROR while a burst is still running)
 *   quit, or stdin closed -> stops and exits
 * </pre>
 * Each change is one {@code sg_cut_out} update of a shot (Avalon {@code data.clipOut}/{@code frameEnd}) by a
 * HumanUser, so exactly one {@code Shotgun_Shot_Change} event; values grow with {@code i}. A seeded fraction of
 * the changes (default 0.1) have their event committed {@code lateMs} later (default 500 ms, at least two
 * change intervals), so a poller sees higher ids before it: the out-of-order commits of a real site.
 * Shots are changed in a seeded shuffled round-robin over the synced projects.
 */
public final class ShotGridSimulatorMain {

    private ShotGridSimulatorMain() {
    }

    private static volatile double outOfOrderFraction = 0.1;
    private static volatile long lateMillis = 500;

    public static void main(String[] args) throws Exception {
        SampleShotGridProduction.Spec spec = spec(args.length > 0 ? args[0] : "large");
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 2;
        if (args.length > 2) {
            outOfOrderFraction = Double.parseDouble(args[2]);
        }
        if (args.length > 3) {
            lateMillis = Long.parseLong(args[3]);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

        long started = System.nanoTime();
        ShotGridData data = new ShotGridData();
        SampleShotGridProduction.generate(data, spec);
        long generated = System.nanoTime();
        EmbeddedMongo mongo = EmbeddedMongo.inMemory();
        ShotGridSimulator shotgrid = ShotGridSimulator.start(0, data);
        shotgrid.setLatencyMillis(latency);
        SimulatorConsole.closeOnExit(shotgrid, mongo);
        out.printf("SIM INFO spec=%s latency=%d ms generated in %d ms script=%s key=%s%n", spec, latency,
                (generated - started) / 1_000_000, ShotGridSimulator.SCRIPT_NAME, ShotGridSimulator.API_KEY);
        out.printf("SIM READY mongo=%s shotgrid=%s%n", mongo.uri(), shotgrid.baseUrl());

        SimulatorConsole.run(shotgrid, out, words -> {
            switch (words[0]) {
                case "events":
                    out.println("SIM EVENTS " + data.eventCount() + " " + data.lastEventId());
                    return true;
                case "outoforder":
                    outOfOrderFraction = Double.parseDouble(words[1]);
                    lateMillis = Long.parseLong(words[2]);
                    out.println("SIM OK");
                    return true;
                case "burst":
                    startBurst(data, out, Double.parseDouble(words[1]), Double.parseDouble(words[2]));
                    out.println("SIM OK burst");
                    return true;
                default:
                    return false;
            }
        });
        // stdin closed: the parent is gone or done; the shutdown hook stops both servers
        System.exit(0);
    }

    /** Changes made by every burst so far: the next change's number. */
    private static int changes;
    private static Thread burst;

    /** Changes shots' {@code sg_cut_out} at {@code rate} per second for {@code seconds}, reporting each on stdout. */
    static Thread startBurst(ShotGridData data, PrintStream out, double rate, double seconds) {
        return startBurst(data, out, rate, seconds, outOfOrderFraction, lateMillis);
    }

    /** As above, {@code fraction} of the changes having their event committed {@code lateMs} later. */
    static synchronized Thread startBurst(ShotGridData data, PrintStream out, double rate, double seconds,
                                          double fraction, long lateMs) {
        if (burst != null && burst.isAlive()) {
            throw new IllegalStateException("a burst is running");
        }
        List<Integer> shots = new ArrayList<>();
        for (int shotId : data.ids(ShotGridData.SHOT)) {
            Map<String, Object> shot = data.get(ShotGridData.SHOT, shotId);
            Object project = shot.get("project");
            if (project instanceof Map<?, ?> link && Boolean.TRUE.equals(
                    data.get(ShotGridData.PROJECT, (Integer) link.get("id")).get(ShotGridData.SYNC_FIELD))) {
                shots.add(shotId);
            }
        }
        List<Integer> artists = data.ids(ShotGridData.HUMAN_USER);
        if (shots.isEmpty() || artists.isEmpty()) {
            throw new IllegalStateException("no shot of a synced project, or no artist, to make changes with");
        }
        Collections.shuffle(shots, new Random(327));
        Map<String, Object> artist = ShotGridData.link(ShotGridData.HUMAN_USER, artists.get(0));
        int count = (int) Math.round(rate * seconds);
        long intervalNanos = (long) (1e9 / rate);
        // late enough to land after the next change or two, or it would not be out of order at all
        long late = Math.max(lateMs, 2 * intervalNanos / 1_000_000 + 1);
        int first = changes;
        changes += count;
        Random lateness = new Random(first * 31L + 7);
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            long maxLag = 0;
            int lateCount = 0;
            for (int i = first; i < first + count; i++) {
                long due = start + (i - first) * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                maxLag = Math.max(maxLag, System.nanoTime() - due);
                int shotId = shots.get(i % shots.size());
                int value = 2000 + i;
                boolean isLate = lateness.nextDouble() < fraction;
                lateCount += isLate ? 1 : 0;
                long sent = System.currentTimeMillis();
                data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_out", value), artist, isLate ? late : 0);
                out.println("SIM CHANGE " + i + " " + shotId + " sg_cut_out " + value + " " + sent);
            }
            out.printf("SIM BURST-DONE %d %d %d %d%n", count, (System.nanoTime() - start) / 1_000_000,
                    maxLag / 1_000_000, lateCount);
        }, "simulator-burst");
        thread.setDaemon(true);
        thread.start();
        burst = thread;
        return thread;
    }

    static SampleShotGridProduction.Spec spec(String name) {
        switch (name) {
            case "large":
                return SampleShotGridProduction.Spec.large();
            case "demo":
                return SampleShotGridProduction.Spec.demo();
            case "small":
                // a tenth of the large production (tasks per entity stays 6)
                return new SampleShotGridProduction.Spec(1, 5, 200, 2, 10, 50, 6, false);
            default:
                String[] n = name.split(",");
                if (n.length != 7) {
                    throw new IllegalArgumentException("spec: large, small, demo or 7 comma-separated numbers"
                            + " (projects, asset types, assets, episodes, sequences, shots, tasks), not " + name);
                }
                return new SampleShotGridProduction.Spec(Integer.parseInt(n[0]), Integer.parseInt(n[1]),
                        Integer.parseInt(n[2]), Integer.parseInt(n[3]), Integer.parseInt(n[4]), Integer.parseInt(n[5]),
                        Integer.parseInt(n[6]), false);
        }
    }
}
