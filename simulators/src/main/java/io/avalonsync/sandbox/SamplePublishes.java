package io.avalonsync.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Published files as a publisher leaves them: real files of given sizes under a local root, and one
 * {@code pype:representation-2.0} document per file (reference syncserver §2.1) whose file is on the active site
 * and wanted on the remote site. Used by the demo, the site sync tests and the benchmarks.
 */
public final class SamplePublishes {

    private static final int BUFFER = 64 * 1024;

    private SamplePublishes() {
    }

    /**
     * Writes one file per size under {@code localRoot} and one representation per file into {@code collection}
     * (a minimal project document is added when the collection has none). Paths are stored root-less as
     * {@code {root[<rootName>]}/<project>/Assets/<asset>/publish/<family>/<subset>/v###/<name>}. File content is
     * random and streamed to disk, never held whole in memory.
     *
     * @return the new representations' ids, in the order of {@code fileSizes}
     */
    public static List<ObjectId> publish(MongoCollection<Document> collection, Path localRoot, String rootName,
                                         String activeSite, String remoteSite, List<Long> fileSizes) {
        return publish(collection, localRoot, rootName, activeSite, remoteSite, fileSizes, 1);
    }

    /**
     * The same with {@code filesPerRepresentation} files in each representation, like a published image
     * sequence: one version folder per representation, frames named {@code <name>.<frame>.<ext>}.
     */
    public static List<ObjectId> publish(MongoCollection<Document> collection, Path localRoot, String rootName,
                                         String activeSite, String remoteSite, List<Long> fileSizes,
                                         int filesPerRepresentation) {
        String project = collection.getNamespace().getCollectionName();
        String code = project.toLowerCase().replaceAll("[^a-z0-9]", "");
        code = code.substring(0, Math.min(6, code.length()));
        if (collection.find(Filters.eq("type", "project")).first() == null) {
            collection.insertOne(new Document("type", "project").append("name", project)
                    .append("schema", "openpype:project-3.0").append("data", new Document("code", code))
                    .append("config", new Document("roots", new Document(rootName, new Document("linux", localRoot.toString())))));
        }
        // continue the version numbers of earlier publishes, so paths never collide
        long base = collection.countDocuments(Filters.eq("type", "representation"));
        Instant published = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Random random = new Random(base * 31 + fileSizes.size());
        List<ObjectId> ids = new ArrayList<>();
        String[] assets = {"Cylinder", "Robot", "Forest", "Tower"};
        String[][] kinds = {{"model", "modelMain", "abc"}, {"look", "lookMain", "ma"}, {"render", "renderMain", "exr"},
                {"review", "reviewMain", "mp4"}};
        int perRepresentation = Math.max(1, filesPerRepresentation);
        for (int first = 0, r = 0; first < fileSizes.size(); first += perRepresentation, r++) {
            int version = (int) (base + r + 1);
            String asset = assets[version % assets.length];
            String[] kind = kinds[version % kinds.length];
            String stem = code + "_" + asset + "_" + kind[1] + "_v" + String.format("%03d", version);
            String folder = project + "/Assets/" + asset + "/publish/" + kind[0] + "/" + kind[1] + "/v"
                    + String.format("%03d", version) + "/";
            long mtime = published.getEpochSecond();
            List<Document> files = new ArrayList<>();
            for (int i = first; i < Math.min(fileSizes.size(), first + perRepresentation); i++) {
                long size = fileSizes.get(i);
                String name = perRepresentation == 1 ? stem + "." + kind[2]
                        : stem + "." + String.format("%04d", 1001 + i - first) + "." + kind[2];
                writeRandom(localRoot.resolve(folder + name), size, random);
                files.add(new Document("_id", new ObjectId())
                        .append("path", "{root[" + rootName + "]}/" + folder + name)
                        .append("size", size)
                        .append("hash", name.replace('.', ',') + "|" + mtime + ",0|" + size)
                        .append("sites", new ArrayList<>(List.of(
                                new Document("name", activeSite).append("created_dt", Date.from(published)),
                                new Document("name", remoteSite)))));
            }
            ObjectId repreId = new ObjectId();
            Document repre = new Document("_id", repreId)
                    .append("schema", "pype:representation-2.0")
                    .append("type", "representation")
                    .append("parent", new ObjectId())
                    .append("name", kind[2])
                    .append("data", new Document("path", localRoot.resolve(folder).toString())
                            .append("template", "{root[" + rootName + "]}/{project[name]}/{hierarchy}/{asset}/publish/{family}/"
                                    + "{subset}/v{version:0>3}/{project[code]}_{asset}_{subset}_v{version:0>3}.{representation}"))
                    .append("dependencies", List.of())
                    .append("context", new Document("root", new Document(rootName, localRoot.toString()))
                            .append("project", new Document("name", project).append("code", code))
                            .append("hierarchy", "Assets").append("asset", asset).append("family", kind[0])
                            .append("subset", kind[1]).append("version", version).append("representation", kind[2])
                            .append("username", "demo"))
                    .append("files", files);
            collection.insertOne(repre);
            ids.add(repreId);
        }
        return ids;
    }

    /** {@code size} random bytes, written in small blocks. */
    static void writeRandom(Path file, long size, Random random) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] block = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(file)) {
                long left = size;
                while (left > 0) {
                    random.nextBytes(block);
                    int n = (int) Math.min(block.length, left);
                    out.write(block, 0, n);
                    left -= n;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample file " + file, e);
        }
    }
}
