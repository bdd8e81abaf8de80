/**
 * The traffic providers an experiment may name (target.provider), for the schema and for readers
 * of results that need the default without loading the schema. The registry (traffic/registry.ts)
 * maps each to its implementation.
 */

/** Every value of target.provider. */
export const PROVIDER_NAMES = ['local', 'istio', 'gateway-api'] as const;

/** The provider of an experiment that names none (and of results written before providers were recorded). */
export const DEFAULT_PROVIDER = 'local';
