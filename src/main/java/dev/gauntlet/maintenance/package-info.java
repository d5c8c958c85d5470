/**
 * Maintenance commands run from the command line with Gauntlet stopped ({@code gauntlet memory
 * consolidate}, {@code gauntlet restore}). Not to be confused with {@code dev.gauntlet.operations},
 * the user-facing operations the server offers.
 */
package dev.gauntlet.maintenance;
