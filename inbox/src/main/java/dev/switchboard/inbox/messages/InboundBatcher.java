package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Group commit for what carriers send: many inbound messages share one transaction, and each
 * caller's future still completes only after the commit that made its own message durable, so an
 * adapter that answers the carrier then acknowledges nothing a crash could lose.
 *
 * <p>Requests queue in arrival order. A batch is at most {@link #MAX_BATCH} of them; it starts when
 * it is full, when its oldest request has waited {@link #MAX_WAIT}, or as soon as another batch
 * committed (what queued meanwhile has waited a commit already). Up to {@link #MAX_IN_FLIGHT}
 * batches run at once, on their own connections, so ingest is not one connection's round trips
 * in a row. A number is in at most one batch in flight: its requests stay queued, in order, until
 * that batch ends, so per-number order is arrival order and a number held by another writer
 * stalls only the batch that has it, not the ones behind it.
 *
 * <p>A batch's transaction locks every number it touches in one statement, in number order
 * ({@link Tx#lockNumbers}, so it cannot deadlock with any other writer), then applies its requests
 * one after the other in arrival order. It first runs whole; if any request fails, nothing of it is
 * stored and it runs again with each request in a savepoint of its own: a request that fails has
 * its writes (and its sync-log sequence numbers) rolled back and fails alone, with its own error,
 * while the others commit, so each number's sync log stays gapless. If that commit fails too,
 * every request of the batch fails and nothing of it is stored.
 *
 * <p>A request for a number not served fails with {@link InboxException.Kind#NOT_FOUND}.
 */
public final class InboundBatcher {
    /** Most requests committed by one transaction. */
    public static final int MAX_BATCH = 64;
    /** Longest a request waits for others to join its batch when no batch is in flight. */
    public static final Duration MAX_WAIT = Duration.ofMillis(2);
    /** Most batches committing at once (each holds a pooled connection while it runs). */
    public static final int MAX_IN_FLIGHT = 4;

    private final Vertx vertx;
    private final Context context;
    private final Transactor db;
    private final int maxBatch;
    private final long maxWaitMillis;
    private final int maxInFlight;

    // Touched on the context only.
    private final ArrayDeque<Request<?>> queue = new ArrayDeque<>();
    /** The numbers of the batches in flight; requests for them wait in the queue. */
    private final Set<String> busy = new HashSet<>();
    private int inFlight;
    private long timer = -1;

    public InboundBatcher(Vertx vertx, Transactor db) {
        this(vertx, db, MAX_BATCH, MAX_WAIT, MAX_IN_FLIGHT);
    }

    /** For tests: other bounds. A zero wait starts a batch as soon as a slot is free. */
    public InboundBatcher(Vertx vertx, Transactor db, int maxBatch, Duration maxWait) {
        this(vertx, db, maxBatch, maxWait, MAX_IN_FLIGHT);
    }

    public InboundBatcher(Vertx vertx, Transactor db, int maxBatch, Duration maxWait, int maxInFlight) {
        if (maxBatch < 1 || maxWait.isNegative() || maxInFlight < 1) {
            throw new IllegalArgumentException("batch size and batches in flight must be positive and wait not negative");
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.db = db;
        this.maxBatch = maxBatch;
        this.maxWaitMillis = maxWait.toMillis();
        this.maxInFlight = maxInFlight;
    }

    /**
     * Runs {@code work} in a batch transaction that has locked {@code number} and found it served.
     * The work must not lock other numbers. Completes after the commit.
     */
    public <T> Future<T> submit(String number, Function<Tx, Future<T>> work) {
        Request<T> request = new Request<>(number, work, Promise.promise(), db.hold());
        context.runOnContext(v -> enqueue(request));
        return request.promise.future();
    }

    private void enqueue(Request<?> request) {
        queue.add(request);
        if (queue.size() >= maxBatch || maxWaitMillis == 0) {
            flush();
        } else if (timer < 0) {
            timer = vertx.setTimer(maxWaitMillis, id -> {
                timer = -1;
                flush();
            });
        }
    }

    /** Starts batches while a slot is free and some queued request's number is not in flight. */
    private void flush() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        while (inFlight < maxInFlight && !queue.isEmpty()) {
            List<Request<?>> batch = take();
            if (batch.isEmpty()) {
                break;
            }
            Set<String> numbers = new TreeSet<>();
            batch.forEach(r -> numbers.add(r.number));
            busy.addAll(numbers);
            inFlight++;
            run(batch, numbers).onComplete(done -> {
                inFlight--;
                busy.removeAll(numbers);
                flush();
            });
        }
        // What is left waits for a slot or for its number's batch; each batch that ends calls this again.
    }

    /** Removes from the queue, in order, up to a batch of requests whose numbers are not in flight. */
    private List<Request<?>> take() {
        List<Request<?>> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
        Iterator<Request<?>> it = queue.iterator();
        while (batch.size() < maxBatch && it.hasNext()) {
            Request<?> r = it.next();
            if (!busy.contains(r.number)) {
                batch.add(r);
                it.remove();
            }
        }
        return batch;
    }

    /**
     * Runs the batch without savepoints first: almost every batch commits whole, and a savepoint per
     * message costs two statements and a subtransaction each. If anything in it fails, nothing of it
     * was stored, and it runs again with a savepoint per message, so the failing one fails alone.
     */
    private Future<Void> run(List<Request<?>> batch, Set<String> numbers) {
        return attempt(batch, numbers, false).transform(whole -> {
            if (whole.succeeded()) {
                return finish(batch, whole);
            }
            batch.forEach(r -> r.outcome = null);
            return attempt(batch, numbers, true).transform(isolated -> finish(batch, isolated));
        });
    }

    private Future<Void> attempt(List<Request<?>> batch, Set<String> numbers, boolean isolated) {
        Function<Tx, Future<Void>> body = tx -> tx.lockNumbers(numbers).compose(served -> {
            Future<Void> chain = Future.succeededFuture();
            for (Request<?> r : batch) {
                chain = chain.compose(v -> r.apply(tx, served, isolated));
            }
            return chain;
        });
        try {
            return isolated ? db.inTransactionWithSavepoints(body) : db.inTransaction(body);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static Future<Void> finish(List<Request<?>> batch, AsyncResult<Void> commit) {
        for (Request<?> r : batch) {
            r.finish(commit);
        }
        return Future.succeededFuture();
    }

    private static final class Request<T> {
        final String number;
        final Function<Tx, Future<T>> work;
        final Promise<T> promise;
        final Runnable release;
        AsyncResult<T> outcome;

        Request(String number, Function<Tx, Future<T>> work, Promise<T> promise, Runnable release) {
            this.number = number;
            this.work = work;
            this.promise = promise;
            this.release = release;
        }

        /** Isolated: in a savepoint, its failure kept as its outcome. Not: its failure fails the transaction. */
        Future<Void> apply(Tx tx, Set<String> served, boolean isolated) {
            if (!served.contains(number)) {
                outcome = Future.failedFuture(InboxException.notFound("number " + number));
                return Future.succeededFuture();
            }
            if (!isolated) {
                Future<T> done;
                try {
                    done = work.apply(tx);
                } catch (RuntimeException e) {
                    done = Future.failedFuture(e);
                }
                return done.map(result -> {
                    outcome = Future.succeededFuture(result);
                    return null;
                });
            }
            return tx.savepoint(work).map(result -> {
                outcome = result;
                return null;
            });
        }

        void finish(AsyncResult<Void> commit) {
            release.run();
            if (commit.failed()) {
                promise.fail(commit.cause());
            } else if (outcome == null) {
                promise.fail(new IllegalStateException("batch committed without applying this request"));
            } else {
                promise.handle(outcome);
            }
        }
    }
}
