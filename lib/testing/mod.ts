/**
 * Test helpers for code that uses this library: a clock moved by hand.
 *
 * @module
 */
export * from "./manual_clock.ts";
