/**
 * Runtime for Java workers under TQServer: an HTTP server on the JDK's
 * {@code com.sun.net.httpserver}, configured from the environment that TQServer starts the
 * worker with. Start at {@link io.tqserver.worker.WorkerRuntime}.
 */
package io.tqserver.worker;
