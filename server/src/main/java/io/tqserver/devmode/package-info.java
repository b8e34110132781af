/**
 * Development mode's reload loop: {@link DevReloader} watches the workers folder and turns each
 * burst of saved files into a rebuild and blue/green swap of the one worker they belong to, a
 * settings reload, or a worker added or removed.
 */
package io.tqserver.devmode;
