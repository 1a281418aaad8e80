package io.avalonsync.avalon;

import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Read access to the asset documents of one project collection, as they will be once the pending writes are applied,
 * so a batch can be validated before anything of it reaches Mongo.
 */
public interface AssetLookup {

    /** The asset document with this {@code _id}, or {@code null} when there is none. */
    Document byId(ObjectId id);

    /** The {@code _id}s of all asset documents whose {@code name} equals {@code name} ignoring case. */
    List<ObjectId> idsWithName(String name);
}
