package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The asset documents of one project as they will stand once the planned writes are applied: what the validator
 * checks a document against, and where the tree's names are read.
 */
final class FinalDocuments implements AssetLookup {

    private final Map<ObjectId, Document> byId = new LinkedHashMap<>();
    private final Map<String, Set<ObjectId>> idsByName = new HashMap<>();

    FinalDocuments(List<Document> existing) {
        for (Document doc : existing) {
            byId.put(doc.getObjectId("_id"), doc);
        }
        byId.values().forEach(this::indexName);
    }

    @Override
    public Document byId(ObjectId id) {
        return byId.get(id);
    }

    @Override
    public List<ObjectId> idsWithName(String name) {
        return new ArrayList<>(idsByName.getOrDefault(NameSanitizer.caseKey(name), Set.of()));
    }

    /** Every document, in the order they were read or last replaced. */
    Collection<Document> all() {
        return byId.values();
    }

    /** The document {@code id} will be ({@code doc}), or none (null). */
    void replace(ObjectId id, Document doc) {
        Document previous = byId.remove(id);
        if (previous != null) {
            Set<ObjectId> ids = idsByName.get(NameSanitizer.caseKey(previous.getString("name")));
            if (ids != null) {
                ids.remove(id);
            }
        }
        if (doc != null) {
            byId.put(id, doc);
            indexName(doc);
        }
    }

    private void indexName(Document doc) {
        idsByName.computeIfAbsent(NameSanitizer.caseKey(doc.getString("name")), k -> new HashSet<>())
                .add(doc.getObjectId("_id"));
    }

    /** Names of the visualParent chain of a document as it stands (root first). */
    List<String> chainOf(Document doc) {
        List<String> chain = new ArrayList<>();
        Set<ObjectId> seen = new HashSet<>();
        Object parent = TrackerIdentity.read(doc, "data.visualParent");
        while (parent instanceof ObjectId parentId && seen.add(parentId)) {
            Document parentDoc = byId.get(parentId);
            if (parentDoc == null) {
                break;
            }
            chain.add(0, parentDoc.getString("name"));
            parent = TrackerIdentity.read(parentDoc, "data.visualParent");
        }
        return chain;
    }

    /** Whether one of the {@code moved} documents is above {@code doc}. */
    boolean below(Document doc, Set<ObjectId> moved) {
        Set<ObjectId> seen = new HashSet<>();
        Object parent = TrackerIdentity.read(doc, "data.visualParent");
        while (parent instanceof ObjectId parentId && seen.add(parentId)) {
            if (moved.contains(parentId)) {
                return true;
            }
            Document parentDoc = byId.get(parentId);
            parent = parentDoc == null ? null : TrackerIdentity.read(parentDoc, "data.visualParent");
        }
        return false;
    }
}
