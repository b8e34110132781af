/**
 * Live configuration: reads {@code server.yaml} and every {@code worker.yaml} again on request
 * (SIGHUP, the control endpoint, a file change) and applies what changed to the running proxy,
 * logs and supervisor. An invalid file is rejected and the running configuration stays.
 */
package io.tqserver.reload;
