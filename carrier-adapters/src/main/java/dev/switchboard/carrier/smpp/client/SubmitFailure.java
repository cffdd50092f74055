package dev.switchboard.carrier.smpp.client;

/**
 * A submit_sm that did not get through. Transient failures (throttled, queue full, system error,
 * timeouts, a dropped bind) are retried with backoff; permanent ones fail the message with the
 * SMPP status in its reason.
 */
public final class SubmitFailure extends Exception {
    private final boolean transientFailure;
    private final int commandStatus;

    SubmitFailure(boolean transientFailure, int commandStatus, String message) {
        super(message, null, false, false);
        this.transientFailure = transientFailure;
        this.commandStatus = commandStatus;
    }

    public boolean isTransient() { return transientFailure; }

    /** The SMPP command_status, or -1 when the failure was not an SMPP answer (timeout, I/O). */
    public int commandStatus() { return commandStatus; }

    public static SubmitFailure fromStatus(int status) {
        boolean retry = status == 0x58 || status == 0x14 || status == 0x08;
        return new SubmitFailure(retry, status, String.format("command_status 0x%08X", status));
    }

    /**
     * A negative deliver_sm_resp from an account bound to our server: throttled, queue full, system
     * error and ESME_RX_T_APPN (the account asks us to retry later) are transient, others permanent.
     */
    public static SubmitFailure fromDeliverStatus(int status) {
        boolean retry = status == 0x58 || status == 0x14 || status == 0x08 || status == 0x64;
        return new SubmitFailure(retry, status, String.format("command_status 0x%08X", status));
    }

    public static SubmitFailure io(String what) {
        return new SubmitFailure(true, -1, what);
    }
}
