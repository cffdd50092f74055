/** Configuration: YAML file plus environment overrides, validated into immutable records. */
package dev.switchboard.gateway.config;
