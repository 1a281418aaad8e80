package io.avalonsync.avalon;

import java.util.List;

import org.bson.Document;

/**
 * The Avalon side of one project before a sync: its collection, the project document (null when the
 * project is new) and every asset document in it, whoever wrote them.
 */
public record ExistingProject(String collection, Document project, List<Document> assets) {
}
