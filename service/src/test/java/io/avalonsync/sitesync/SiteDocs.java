package io.avalonsync.sitesync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;

/** Representation documents as the publisher writes them: the current list-shaped sites and the 2020 dict. */
final class SiteDocs {

    static final Instant PUBLISHED = Instant.parse("2020-11-19T16:09:23Z");

    private SiteDocs() {
    }

    static Document representation(ObjectId id, String name, Document... files) {
        return new Document("_id", id)
                .append("schema", "pype:representation-2.0")
                .append("type", "representation")
                .append("parent", new ObjectId())
                .append("name", name)
                .append("data", new Document("path", "P:/projects/Test/Assets/Cylinder/publish/look/lookMain/v010/x." + name)
                        .append("template", "{root[work]}/{project[name]}/{hierarchy}/{asset}/publish/{family}/{subset}/v{version:0>3}/{project[code]}_{asset}_{subset}_v{version:0>3}.{representation}"))
                .append("dependencies", List.of())
                .append("context", new Document("root", new Document("work", "P:/projects"))
                        .append("project", new Document("name", "Test").append("code", "test"))
                        .append("hierarchy", "Assets").append("asset", "Cylinder").append("family", "look")
                        .append("subset", "lookMain").append("version", 10).append("representation", name)
                        .append("username", "john"))
                .append("files", new ArrayList<>(List.of(files)));
    }

    /** A file with list-shaped sites. */
    static Document file(ObjectId id, String name, Document... sites) {
        return new Document("_id", id)
                .append("path", "{root[work]}/Test/Assets/Cylinder/publish/look/lookMain/v010/" + name)
                .append("size", 4822L)
                .append("hash", name.replace('.', ',') + "|1605802163,24|4822")
                .append("sites", new ArrayList<>(List.of(sites)));
    }

    /** A file with the 2020 dict-shaped sites: {site name: record}. */
    static Document dictFile(ObjectId id, String name, Document sites) {
        return file(id, name).append("sites", sites);
    }

    /** {name: site, created_dt: published}: the file is on that site. */
    static Document on(String site) {
        return new Document("name", site).append("created_dt", Date.from(PUBLISHED));
    }

    /** {name: site}: wanted on that site, not there yet. */
    static Document wanted(String site) {
        return new Document("name", site);
    }

    /** A dict-shaped record body without the name. */
    static Document body(Document record) {
        Document d = new Document(record);
        d.remove("name");
        return d;
    }

    static Date date(Instant i) {
        return Date.from(i);
    }
}
