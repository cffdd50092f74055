package dev.switchboard.bench;

/** One benchmark: measures a hot path and its physical baseline in the same run, checking correctness as it goes. */
public interface Scenario {
    String name();

    /** One line for the usage text. */
    String description();

    Result run(Options options) throws Exception;
}
