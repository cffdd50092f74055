package dev.switchboard.carrier.smpp.client;

import dev.switchboard.carrier.sms.SmsSegment;

/** One segment to submit: addresses in E.164, the segment as the segmenter built it, and its data_coding. */
public record SubmitRequest(String from, String to, SmsSegment segment, byte dataCoding) {}
