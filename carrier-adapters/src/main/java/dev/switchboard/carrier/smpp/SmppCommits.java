package dev.switchboard.carrier.smpp;

import dev.switchboard.inbox.InboxException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.extra.ProcessRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, on a jsmpp thread, for the inbox to commit what a peer sent, and turns a failure into the
 * command_status the peer should see: retry later for anything transient, a permanent refusal for
 * content the database can never store (so the peer does not resend it forever).
 */
public final class SmppCommits {
    private static final Logger LOG = LoggerFactory.getLogger(SmppCommits.class);
    private static final long TIMEOUT_SECONDS = 10;
    /** ESME_RX_P_APPN: "ESME receiver permanent app error", which jsmpp has no constant for. */
    public static final int STAT_ESME_RX_P_APPN = 0x00000065;

    private SmppCommits() {}

    public static <T> T await(Future<T> future) throws ProcessRequestException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InboxException ie && ie.kind() == InboxException.Kind.NOT_FOUND) {
                throw new ProcessRequestException("destination not served", SMPPConstant.STAT_ESME_RINVDSTADR);
            }
            if (cause instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
                LOG.warn("refusing an inbound SMS the database cannot store (SQLSTATE {})", pg.getSqlState());
                throw new ProcessRequestException("content cannot be stored", STAT_ESME_RX_P_APPN);
            }
            LOG.warn("could not commit an inbound SMS; asking the peer to retry: {}", cause.toString());
            throw new ProcessRequestException("temporary failure, retry", SMPPConstant.STAT_ESME_RX_T_APPN);
        } catch (TimeoutException e) {
            throw new ProcessRequestException("temporary failure, retry", SMPPConstant.STAT_ESME_RX_T_APPN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessRequestException("shutting down, retry", SMPPConstant.STAT_ESME_RX_T_APPN);
        }
    }
}
