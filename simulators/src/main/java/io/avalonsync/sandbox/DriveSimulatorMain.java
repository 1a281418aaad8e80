package io.avalonsync.sandbox;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The site-sync benchmark's other process: an in-memory Mongo-protocol store and the Drive simulator, so that
 * the JVM under measurement holds only the service. Driven over stdin/stdout like {@link KitsuSimulatorMain}:
 * <pre>
 *   java -cp avalon-sync-demo.jar io.avalonsync.sandbox.DriveSimulatorMain credentials.json [storeDir]
 *   -> SIM READY mongo=mongodb://127.0.0.1:p drive=http://127.0.0.1:p/ root=&lt;My Drive id&gt;
 *   count     -> SIM COUNT n   (Drive requests since start or the last reset)
 *   files     -> SIM FILES n   (files, not folders, stored and not trashed)
 *   reset     -> SIM OK
 *   jit       -> SIM JIT ms   (this JVM's total JIT compilation time, for benchmarks to tell a warm JVM)
 *   quit, or stdin closed -> stops and exits
 * </pre>
 */
public final class DriveSimulatorMain {

    private DriveSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        EmbeddedMongo mongo = EmbeddedMongo.inMemory();
        DriveSimulator drive = DriveSimulator.start(0, args.length > 1 ? Path.of(args[1]) : null);
        drive.writeCredentials(Path.of(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            drive.close();
            mongo.close();
        }, "simulator-shutdown"));
        out.printf("SIM READY mongo=%s drive=%s root=%s%n", mongo.uri(), drive.rootUrl(), drive.rootId());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "count" -> out.println("SIM COUNT " + drive.requestCount());
                case "files" -> out.println("SIM FILES " + drive.entries().stream().filter(e -> !e.folder() && !e.trashed()).count());
                case "jit" -> out.println("SIM JIT " + java.lang.management.ManagementFactory.getCompilationMXBean()
                        .getTotalCompilationTime());
                case "reset" -> {
                    drive.resetCounts();
                    out.println("SIM OK");
                }
                case "quit" -> {
                    return;
                }
                default -> out.println("SIM ERROR unknown command: " + line);
            }
        }
        System.exit(0);
    }
}
