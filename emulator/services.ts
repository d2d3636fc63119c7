/**
 * The services an emulator runs by default. Each module owns one AWS service;
 * add a factory here when a new service lands.
 *
 * @module
 */
import type { ServiceFactory } from "./service.ts";

/** Every emulated service, in start order. */
export const defaultServices: readonly ServiceFactory[] = [];
