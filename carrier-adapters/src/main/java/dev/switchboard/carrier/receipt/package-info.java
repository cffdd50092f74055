/**
 * Delivery receipts as data: deciding whether a deliver_sm/data_sm is a receipt, reading the
 * receipt from its TLVs and its vendor-specific text, and normalising SMSC message ids so a
 * receipt can be matched to the submission it reports on.
 *
 * <p>Pure code on purpose: no jsmpp types, no Vert.x, no I/O. The SMPP layer copies the few
 * fields it needs into {@link dev.switchboard.carrier.receipt.ReceiptFields}, so every format
 * seen in the field can be tested here without a session, and the matcher that stores
 * unmatched receipts (the receipt-before-response race) depends on nothing but strings.
 * Matching, persistence and status changes belong to the callers.
 */
package dev.switchboard.carrier.receipt;
