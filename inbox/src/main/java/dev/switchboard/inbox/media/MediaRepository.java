package dev.switchboard.inbox.media;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/** Media metadata; access follows the uploader's number and every inbox a message carried it to. */
public final class MediaRepository {

    public record MediaInfo(String id, String contentType, long size, String sha256, String fileName, Instant createdAt) {}

    private final Transactor db;

    public MediaRepository(Transactor db) { this.db = db; }

    public Future<MediaInfo> register(String id, String number, String contentType, long size, String sha256, String fileName) {
        return db.inTransaction(tx -> tx.query("""
                        INSERT INTO media (id, number, content_type, size, sha256, file_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
                        Tuple.of(id, number, contentType, size, sha256, fileName).addOffsetDateTime(Times.db(tx.now())))
                .compose(v -> tx.query("INSERT INTO media_access (media_id, number) VALUES ($1, $2)", Tuple.of(id, number)))
                .map(v -> new MediaInfo(id, contentType, size, sha256, fileName, tx.now())));
    }

    /** The media if this number may read it; not found otherwise, so existence is not revealed. */
    public Future<MediaInfo> readable(String number, String id) {
        return one(db.pool().preparedQuery("""
                SELECT m.* FROM media m JOIN media_access a ON a.media_id = m.id AND a.number = $2 WHERE m.id = $1""")
                .execute(Tuple.of(id, number)));
    }

    /** The media whatever number it belongs to: for holders of a signed public link, already checked. */
    public Future<MediaInfo> find(String id) {
        return one(db.pool().preparedQuery("SELECT * FROM media WHERE id = $1").execute(Tuple.of(id)));
    }

    private static Future<MediaInfo> one(Future<io.vertx.sqlclient.RowSet<Row>> query) {
        return query
                .compose(rows -> {
                    if (rows.size() != 1) {
                        return Future.failedFuture(InboxException.notFound("media"));
                    }
                    Row r = rows.iterator().next();
                    return Future.succeededFuture(new MediaInfo(r.getString("id"), r.getString("content_type"), r.getLong("size"),
                            r.getString("sha256"), r.getString("file_name"), Times.instant(r.getOffsetDateTime("created_at"))));
                });
    }
}
