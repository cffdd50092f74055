/**
 * The RCS adapter: the provider port ({@link dev.switchboard.carrier.rcs.RcsProvider}) with its two
 * wire profiles (Google RBM and GSMA MaaP), the rendering of the rich-message model into provider
 * content and its limits, and the reading and verification of provider webhooks.
 */
package dev.switchboard.carrier.rcs;
