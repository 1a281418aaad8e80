package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The demo_show project, as each flavour's own tools write it: hierarchy {@code Assets/Characters/Bruce} and
 * {@code Shots/ep01/ep01_sq010/ep01_sq010_sh0010}.
 */
final class AvalonFixtures {

    static final ObjectId PROJECT_ID = new ObjectId("650000000000000000000001");
    static final ObjectId ASSETS_ID = new ObjectId("650000000000000000000010");
    static final ObjectId CHARACTERS_ID = new ObjectId("650000000000000000000011");
    static final ObjectId BRUCE_ID = new ObjectId("650000000000000000000012");
    static final ObjectId SHOTS_ID = new ObjectId("650000000000000000000019");
    static final ObjectId EP01_ID = new ObjectId("650000000000000000000020");
    static final ObjectId SQ010_ID = new ObjectId("650000000000000000000021");
    static final ObjectId SH0010_ID = new ObjectId("650000000000000000000022");

    /** An OpenPype project document. */
    static final String OPENPYPE_PROJECT_JSON = """
            {
              "_id": {"$oid": "650000000000000000000001"},
              "type": "project",
              "name": "demo_show",
              "schema": "openpype:project-3.0",
              "data": {
                "code": "demo", "library_project": false, "active": true,
                "fps": 25.0, "frameStart": 1001, "frameEnd": 1100, "clipIn": 1, "clipOut": 100,
                "handleStart": 8, "handleEnd": 8, "resolutionWidth": 1920, "resolutionHeight": 1080,
                "pixelAspect": 1.0, "tools_env": [], "zou_id": "a24a6ea4-ce75-4665-a070-57453082c25d"
              },
              "config": {
                "apps": [{"name": "maya/2022"}, {"name": "nuke/13-0"}],
                "tasks": {
                  "Modeling": {"short_name": "mdl"}, "Rigging": {"short_name": "rig"},
                  "Animation": {"short_name": "anim"}, "Compositing": {"short_name": "comp"}
                },
                "roots": {"work": {"windows": "P:/projects", "darwin": "/Volumes/projects", "linux": "/mnt/projects"}},
                "templates": {
                  "defaults": {"version_padding": 3, "version": "v{version:0>{@version_padding}}",
                               "frame_padding": 4, "frame": "{frame:0>{@frame_padding}}"},
                  "work": {"folder": "{root[work]}/{project[name]}/{hierarchy}/{asset}/work/{task[name]}",
                           "file": "{project[code]}_{asset}_{task[name]}_{@version}<_{comment}>.{ext}",
                           "path": "{@folder}/{@file}"},
                  "publish": {"folder": "{root[work]}/{project[name]}/{hierarchy}/{asset}/publish/{family}/{subset}/{@version}",
                              "file": "{project[code]}_{asset}_{subset}_{@version}<_{output}><.{@frame}><_{udim}>.{ext}",
                              "path": "{@folder}/{@file}"},
                  "hero": {"folder": "{root[work]}/{project[name]}/{hierarchy}/{asset}/publish/{family}/{subset}/hero",
                           "file": "{project[code]}_{asset}_{subset}_hero<_{output}><.{frame}>.{ext}",
                           "path": "{@folder}/{@file}"},
                  "delivery": {}, "others": {}
                },
                "imageio": {}
              }
            }
            """;

    /** An OpenPype asset (Bruce, a character). */
    static final String OPENPYPE_BRUCE_JSON = """
            {
              "_id": {"$oid": "650000000000000000000012"},
              "schema": "openpype:asset-3.0",
              "type": "asset",
              "name": "Bruce",
              "parent": {"$oid": "650000000000000000000001"},
              "data": {
                "label": "Bruce",
                "entityType": "Asset",
                "visualParent": {"$oid": "650000000000000000000011"},
                "parents": ["Assets", "Characters"],
                "tasks": {
                  "Modeling": {"type": "Modeling"},
                  "Rigging": {"type": "Rigging"}
                },
                "frameStart": 1001, "frameEnd": 1001, "handleStart": 0, "handleEnd": 0,
                "fps": 25.0, "resolutionWidth": 1920, "resolutionHeight": 1080, "pixelAspect": 1.0,
                "clipIn": 1, "clipOut": 1, "tools_env": [],
                "zou": {"id": "5d2b1f4e-0d0c-4a53-9a70-1f7d1a1b2c3d", "type": "Asset", "name": "Bruce"}
              }
            }
            """;

    /** An OpenPype shot. */
    static final String OPENPYPE_SHOT_JSON = """
            {
              "_id": {"$oid": "650000000000000000000022"},
              "schema": "openpype:asset-3.0",
              "type": "asset",
              "name": "ep01_sq010_sh0010",
              "parent": {"$oid": "650000000000000000000001"},
              "data": {
                "label": "sh0010",
                "entityType": "Shot",
                "visualParent": {"$oid": "650000000000000000000021"},
                "parents": ["Shots", "ep01", "ep01_sq010"],
                "tasks": {
                  "Animation": {"type": "Animation"},
                  "Compositing": {"type": "Compositing"}
                },
                "frameStart": 1001, "frameEnd": 1096, "handleStart": 8, "handleEnd": 8,
                "fps": 25.0, "resolutionWidth": 1920, "resolutionHeight": 1080, "pixelAspect": 1.0,
                "clipIn": 1, "clipOut": 96, "tools_env": [],
                "zou": {"id": "0b7e1c8a-9f6d-4c1e-8e5b-2d9f3a4b5c6d", "type": "Shot", "name": "sh0010", "nb_frames": 96}
              }
            }
            """;

    /** The same in avalon-core's shape; written without {@code _id}, which the writer always assigns. */
    static final String AVALON_CORE_SHOT_JSON = """
            {"schema": "avalon-core:asset-2.0", "type": "asset", "name": "sq010_sh0010", "silo": "shots",
             "parent": {"$oid": "650000000000000000000001"},
             "data": {"label": "sh0010", "group": "SQ010", "visualParent": {"$oid": "650000000000000000000021"},
                      "tasks": ["animation", "compositing"], "frameStart": 1001, "frameEnd": 1096}}
            """;

    private static final List<String> TASK_TYPES = List.of("Modeling", "Rigging", "Animation", "Compositing");

    private AvalonFixtures() {
    }

    /** The §6.1 project, carried over to {@code flavour} (pype2: §6 "B deltas"; avalon-core: §5 inventory). */
    static Document project(Flavour flavour) {
        Document project = Document.parse(OPENPYPE_PROJECT_JSON);
        project.put("schema", flavour.projectSchema());
        Document config = project.get("config", Document.class);
        config.put("schema", flavour.configSchema());
        if (flavour != Flavour.OPENPYPE) {
            config.remove("roots");
            config.remove("templates");
            config.remove("imageio");
            config.put("template", new Document()
                    .append("work", "{root}/{project}/{silo}/{asset}/work/{task}/{app}")
                    .append("publish",
                            "{root}/{project}/{silo}/{asset}/publish/{subset}/v{version:0>3}/"
                                                + "{subset}.{representation}"));
        }
        if (!flavour.tasksAsDict()) {
            List<Document> tasks = new ArrayList<>();
            for (String taskType : TASK_TYPES) {
                tasks.add(new Document("name", taskName(flavour, taskType)).append("label", taskType));
            }
            config.put("tasks", tasks);
        }
        return project;
    }

    /** The project's assets as stored; {@link #asset} builds each one. */
    static InMemoryAssetLookup hierarchy(Flavour flavour) {
        return new InMemoryAssetLookup()
                .add(asset(flavour, ASSETS_ID, "Assets", null, List.of()))
                .add(asset(flavour, CHARACTERS_ID, "Characters", ASSETS_ID, List.of("Assets")))
                .add(bruce(flavour))
                .add(asset(flavour, SHOTS_ID, "Shots", null, List.of()))
                .add(asset(flavour, EP01_ID, "ep01", SHOTS_ID, List.of("Shots")))
                .add(asset(flavour, SQ010_ID, "ep01_sq010", EP01_ID, List.of("Shots", "ep01")))
                .add(shot(flavour));
    }

    static Document bruce(Flavour flavour) {
        return asset(flavour, BRUCE_ID, "Bruce", CHARACTERS_ID, List.of("Assets", "Characters"), "Modeling", "Rigging");
    }

    static Document shot(Flavour flavour) {
        return asset(flavour, SH0010_ID, "ep01_sq010_sh0010", SQ010_ID, List.of("Shots", "ep01", "ep01_sq010"),
                "Animation", "Compositing");
    }

    /** A complete asset in the flavour's shape: silo for avalon-core, tasks as dict or list. */
    static Document asset(
            Flavour flavour, ObjectId id, String name, ObjectId visualParent, List<String> parents,
            String... taskTypes) {
        Document data = new Document("label", name)
                .append("visualParent", visualParent)
                .append("parents", new ArrayList<>(parents))
                .append("tasks", tasks(flavour, taskTypes))
                .append("frameStart", 1001).append("frameEnd", 1001)
                .append("handleStart", 0).append("handleEnd", 0)
                .append("fps", 25.0).append("pixelAspect", 1.0)
                .append("resolutionWidth", 1920).append("resolutionHeight", 1080)
                .append("clipIn", 1).append("clipOut", 1);
        Document asset = new Document("_id", id)
                .append("schema", flavour.assetSchema())
                .append("type", "asset")
                .append("name", name)
                .append("parent", PROJECT_ID);
        if (flavour.usesSilo()) {
            String root = parents.isEmpty() ? name : parents.get(0);
            asset.append("silo", root.equals("Shots") ? "shots" : "assets");
        }
        return asset.append("data", data);
    }

    /** {@code data.tasks} naming each task after its type, as the Kitsu sync does. */
    static Object tasks(Flavour flavour, String... taskTypes) {
        if (flavour.tasksAsDict()) {
            Document tasks = new Document();
            for (String taskType : taskTypes) {
                tasks.put(taskType, new Document("type", taskType));
            }
            return tasks;
        }
        List<String> tasks = new ArrayList<>();
        for (String taskType : taskTypes) {
            tasks.add(taskName(flavour, taskType));
        }
        return tasks;
    }

    // avalon-core task names are lower-case, as the original tool and §6.7 write them
    static String taskName(Flavour flavour, String taskType) {
        return flavour.tasksAsDict() ? taskType : taskType.toLowerCase(Locale.ROOT);
    }

    static Document data(Document doc) {
        return doc.get("data", Document.class);
    }
}
