/**
 * Applies changed files to the running daemon in both run modes: {@link
 * io.tqserver.autoreload.FileReloader} watches the server configuration file and the workers
 * folder and turns each burst of changes into a configuration reload, a blue/green swap of the
 * one worker they belong to, or a worker added or removed. Development mode swaps on any saved
 * source file; production mode only on a replaced artifact {@code bin/{name}.jar}.
 */
package io.tqserver.autoreload;
