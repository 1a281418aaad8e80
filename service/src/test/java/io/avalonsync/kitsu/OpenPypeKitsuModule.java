package io.avalonsync.kitsu;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * A test fixture: the Avalon database exactly as OpenPype 3's own Kitsu module leaves it after its full sync of a
 * Kitsu project, made by repeating that module's reads (the same gazu calls, as HTTP requests to the Kitsu
 * simulator) and its writes (through the MongoDB driver). Its rules, from the module's published source
 * ({@code update_op_with_zou.py}: {@code sync_project_from_kitsu}, {@code write_project_to_op},
 * {@code update_op_assets}, {@code create_op_asset}) and the client function it calls ({@code create_project} with
 * the default project anatomy), as summarised in the reference notes:
 * <ul>
 * <li>the collection and the project document are named exactly like the Kitsu project; the project document is
 * the one {@code create_project} makes (code = name, {@code library_project}, the anatomy's attributes and config),
 * then {@code data} gets {@code code} (Kitsu's, else the name lower case with {@code _}, written back to Kitsu),
 * {@code fps} as a float, {@code zou_id}, {@code active}, the resolution, and {@code config.tasks} the project's
 * task types;</li>
 * <li>root folder documents {@code Assets} and {@code Shots}: {@code data = {root_of, tasks: {}, visualParent:
 * None, parents: []}}, no {@code parent};</li>
 * <li>entities whose name fails {@code ^[a-zA-Z0-9_.]*$} are skipped; every other asset, asset type, episode,
 * sequence and shot is inserted as {@code {name, type, schema, data: {zou: entity, tasks: {}}}}, then set:
 * {@code name} ({@code <parent name>_<name>} for a sequence or shot with a parent), {@code parent} = project, and
 * {@code data} = what it had + the entity's own {@code data} (metadata descriptors) + {@code zou} = the whole
 * entity + frame range, fps, resolution, pixel aspect, handles, clip range + {@code tasks} (assets and shots:
 * {@code {task type name: {type, zou: the full task}}}) + {@code visualParent} (the asset type of an asset, else
 * the Kitsu parent, else the root folder) + {@code parents} (the root folder, then the ancestors' names).</li>
 * </ul>
 */
final class OpenPypeKitsuModule {

    private static final Pattern NAMING = Pattern.compile("^[a-zA-Z0-9_.]*$");
    private static final Pattern RESOLUTION = Pattern.compile("(\\d+)x(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String api;
    private final String token;

    OpenPypeKitsuModule(String apiUrl, String email, String password) throws IOException, InterruptedException {
        this.api = apiUrl;
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(api + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("email", email, "password", password))))
                .build(), HttpResponse.BodyHandlers.ofString());
        this.token = (String) JSON.readValue(login.body(), Map.class).get("access_token");
    }

    @SuppressWarnings("unchecked")
    private <T> T get(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + "/" + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return (T) JSON.readValue(answer.body(), Object.class);
    }

    /** {@code sync_project_from_kitsu} of the Kitsu project with this name, into {@code db}. */
    @SuppressWarnings("unchecked")
    void syncProject(MongoDatabase db, String projectName, io.avalonsync.sandbox.KitsuData kitsu)
            throws IOException, InterruptedException {
        Map<String, Object> project = null;
        for (Map<String, Object> p : this.<List<Map<String, Object>>>get("data/projects")) {
            if (projectName.equals(p.get("name"))) {
                project = new LinkedHashMap<>(p);
            }
        }
        for (Map<String, Object> status : this.<List<Map<String, Object>>>get("data/project-status")) {
            if (status.get("id").equals(project.get("project_status_id"))) {
                project.put("project_status_name", status.get("name"));
            }
        }
        String id = (String) project.get("id");
        List<Map<String, Object>> all = new ArrayList<>();
        all.addAll(get("data/projects/" + id + "/assets"));
        all.addAll(get("data/projects/" + id + "/asset-types"));
        all.addAll(get("data/projects/" + id + "/episodes"));
        all.addAll(get("data/projects/" + id + "/sequences"));
        all.addAll(get("data/projects/" + id + "/shots"));
        List<Map<String, Object>> entities = new ArrayList<>();
        for (Map<String, Object> entity : all) {
            if (NAMING.matcher(String.valueOf(entity.get("name"))).matches()) {
                entities.add(entity);
            }
        }

        MongoCollection<Document> coll = db.getCollection(projectName);
        Document projectDoc = createProject(coll, projectName);
        Document projectUpdate = writeProject(project, projectDoc, kitsu);

        Map<String, Document> docsByZouId = new LinkedHashMap<>();
        for (String root : List.of("Assets", "Shots")) {
            if (coll.find(Filters.eq("name", root)).first() == null) {
                coll.insertOne(new Document("name", root).append("type", "asset").append("schema", "openpype:asset-3.0")
                        .append("data", new Document("root_of", root).append("tasks", new Document())
                                .append("visualParent", null).append("parents", new ArrayList<>())));
            }
        }
        for (Map<String, Object> entity : entities) {
            coll.insertOne(new Document("name", entity.get("name")).append("type", "asset")
                    .append("schema", "openpype:asset-3.0")
                    .append("data", new Document("zou", new Document(entity)).append("tasks", new Document())));
        }
        for (Document doc : coll.find(Filters.eq("type", "asset"))) {
            Object zouId = doc.get("data", Document.class).get("zou") instanceof Document zou ? zou.get("id") : null;
            if (zouId != null) {
                docsByZouId.put((String) zouId, doc);
            }
        }

        List<Object[]> updates = new ArrayList<>();
        for (Map<String, Object> item : entities) {
            Document itemDoc = docsByZouId.get((String) item.get("id"));
            Document data = DocumentCopy.of(itemDoc.get("data", Document.class));
            if (item.get("data") instanceof Map<?, ?> own) {
                own.forEach((k, v) -> data.put((String) k, v));
            }
            data.put("zou", new Document(item));
            Document projectData = projectDoc.get("data", Document.class);
            Integer frameIn = asInt(data.containsKey("frame_in") ? data.remove("frame_in") : projectData.get("frameStart"));
            int start = frameIn == null ? 1001 : frameIn;
            data.put("frameStart", start);
            Integer duration = asInt(item.containsKey("nb_frames") ? item.get("nb_frames") : 1);
            Object frameOut = data.remove("frame_out");
            if (frameOut == null) {
                frameOut = duration != null && duration != 0 ? start + duration - 1
                        : projectData.getOrDefault("frameEnd", start);
            }
            data.put("frameEnd", asInt(frameOut));
            Double fps = asDouble(data.get("fps"));
            data.put("fps", fps != null ? fps : asDouble(project.getOrDefault("fps", projectData.getOrDefault("fps", 25))));
            Object resolution = data.containsKey("resolution") ? data.get("resolution") : project.get("resolution");
            Matcher size = RESOLUTION.matcher(String.valueOf(resolution));
            if (size.lookingAt()) {
                data.put("resolutionWidth", Integer.parseInt(size.group(1)));
                data.put("resolutionHeight", Integer.parseInt(size.group(2)));
            } else {
                data.put("resolutionWidth", projectData.get("resolutionWidth"));
                data.put("resolutionHeight", projectData.get("resolutionHeight"));
            }
            data.put("pixelAspect", asDouble(data.containsKey("pixel_aspect") ? data.get("pixel_aspect") : projectData.get("pixelAspect")));
            data.put("handleStart", asInt(data.containsKey("handle_start") ? data.get("handle_start") : projectData.get("handleStart")));
            data.put("handleEnd", asInt(data.containsKey("handle_end") ? data.get("handle_end") : projectData.get("handleEnd")));
            data.put("clipIn", asInt(data.containsKey("clip_in") ? data.get("clip_in") : projectData.get("clipIn")));
            data.put("clipOut", asInt(data.containsKey("clip_out") ? data.get("clip_out") : projectData.get("clipOut")));

            String type = (String) item.get("type");
            Document tasks = new Document();
            if (type.equals("Asset") || type.equals("Shot")) {
                String plural = type.equals("Asset") ? "assets" : "shots";
                for (Map<String, Object> task : this.<List<Map<String, Object>>>get("data/" + plural + "/" + item.get("id") + "/tasks")) {
                    Map<String, Object> full = get("data/tasks/" + task.get("id") + "/full");
                    tasks.put((String) task.get("task_type_name"), new Document("type", task.get("task_type_name"))
                            .append("zou", new Document(full)));
                }
            }
            data.put("tasks", tasks);

            String parentZouId = type.equals("Asset") ? (String) item.get("entity_type_id") : null;
            for (String key : List.of("parent_id", "episode_id", "source_id")) {
                if (parentZouId == null && item.get(key) != null) {
                    parentZouId = (String) item.get(key);
                }
            }
            String root = type.equals("Asset") || type.equals("AssetType") ? "Assets" : "Shots";
            ObjectId visualParent = null;
            if (parentZouId != null && docsByZouId.get(parentZouId) != null) {
                visualParent = docsByZouId.get(parentZouId).getObjectId("_id");
            }
            if (visualParent == null) {
                visualParent = coll.find(Filters.eq("name", root)).first().getObjectId("_id");
            }
            data.put("visualParent", visualParent);
            List<String> parents = new ArrayList<>();
            String ancestor = parentZouId;
            while (ancestor != null) {
                Document parentDoc = docsByZouId.get(ancestor);
                if (parentDoc == null) {
                    break;
                }
                parents.add(0, parentDoc.getString("name"));
                ancestor = (String) parentDoc.get("data", Document.class).get("zou", Document.class).get("parent_id");
            }
            String name = (String) item.get("name");
            if ((type.equals("Shot") || type.equals("Sequence")) && parentZouId != null) {
                name = parents.get(parents.size() - 1) + "_" + name;
                itemDoc.put("name", name); // as the module renames its in-memory map: shots read it
            }
            parents.add(0, root);
            data.put("parents", parents);
            updates.add(new Object[] {itemDoc.getObjectId("_id"), new Document("$set", new Document("name", name)
                    .append("data", data).append("parent", projectDoc.getObjectId("_id")))});
        }
        coll.updateOne(Filters.eq("_id", projectDoc.getObjectId("_id")), projectUpdate);
        for (Object[] update : updates) {
            coll.updateOne(Filters.eq("_id", update[0]), (Document) update[1]);
        }
    }

    /** OpenPype's {@code create_project(name, name)}: the minimal document, then the default anatomy saved into it. */
    private static Document createProject(MongoCollection<Document> coll, String name) {
        Document existing = coll.find(Filters.eq("type", "project")).first();
        if (existing != null) {
            return existing;
        }
        Document data = new Document("code", name).append("library_project", false)
                .append("fps", 25.0).append("frameStart", 1001).append("frameEnd", 1001).append("clipIn", 1)
                .append("clipOut", 1).append("handleStart", 0).append("handleEnd", 0).append("resolutionWidth", 1920)
                .append("resolutionHeight", 1080).append("pixelAspect", 1.0).append("tools_env", new ArrayList<>())
                .append("active", true);
        Document config = new Document("roots", new Document("work", new Document("windows", "C:/projects")
                .append("darwin", "/Volumes/path").append("linux", "/mnt/share/projects")))
                .append("templates", new Document("defaults", new Document("version_padding", 3).append("frame_padding", 4))
                        .append("work", new Document("folder", "{root[work]}/{project[name]}/{hierarchy}/{asset}/work/{task[name]}")
                                .append("file", "{project[code]}_{asset}_{task[name]}_{@version}<_{comment}>.{ext}")
                                .append("path", "{@folder}/{@file}")))
                .append("tasks", new Document("Generic", new Document("short_name", "gener"))
                        .append("Modeling", new Document("short_name", "mdl")))
                .append("apps", new ArrayList<>(List.of(new Document("name", "maya/2020"), new Document("name", "nuke/12-2"))))
                .append("imageio", new Document());
        Document doc = new Document("type", "project").append("name", name).append("data", data)
                .append("schema", "openpype:project-3.0").append("config", config);
        coll.insertOne(doc);
        return coll.find(Filters.eq("type", "project")).first();
    }

    /** {@code write_project_to_op}: the project's update (applied in the module's final bulk write). */
    @SuppressWarnings("unchecked")
    private Document writeProject(Map<String, Object> project, Document projectDoc, io.avalonsync.sandbox.KitsuData kitsu)
            throws IOException, InterruptedException {
        Document data = DocumentCopy.of(projectDoc.get("data", Document.class));
        String code = (String) project.get("code");
        if (code == null || code.isEmpty()) {
            code = ((String) project.get("name")).replace(" ", "_").toLowerCase(java.util.Locale.ROOT);
            kitsu.update((String) project.get("id"), Map.of("code", code)); // gazu.project.update_project
        }
        data.put("code", code);
        data.put("fps", asDouble(project.get("fps")));
        data.put("zou_id", project.get("id"));
        data.put("active", !"Closed".equals(project.get("project_status_name")));
        Matcher size = RESOLUTION.matcher(String.valueOf(project.get("resolution")));
        if (size.lookingAt()) {
            data.put("resolutionWidth", Integer.parseInt(size.group(1)));
            data.put("resolutionHeight", Integer.parseInt(size.group(2)));
        }
        List<Map<String, Object>> types = get("data/projects/" + project.get("id") + "/task-types");
        if (types.isEmpty()) {
            types = get("data/task-types");
        }
        Document tasks = new Document();
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, Object> type : types) {
            if (seen.add((String) type.get("name"))) {
                tasks.put((String) type.get("name"), new Document("short_name",
                        type.containsKey("short_name") ? type.get("short_name") : type.get("name")));
            }
        }
        return new Document("$set", new Document("config.tasks", tasks).append("data", data));
    }

    /** Python's {@code int(x)}: null when it would raise. */
    private static Integer asInt(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Python's {@code float(x)}: null when it would raise. */
    private static Double asDouble(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Python's {@code deepcopy} of a document. */
    private static final class DocumentCopy {
        static Document of(Document source) {
            return io.avalonsync.avalon.DocumentChanges.deepCopy(source);
        }
    }
}
