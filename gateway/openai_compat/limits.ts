/**
 * Limits of the OpenAI-compatible endpoints, in a module of their own so the
 * gateway's outer body cap can use them without loading the endpoints.
 *
 * @module
 */

/** The body cap of `/v1/*` requests: 4 MiB. */
export const MAX_OPENAI_BODY_BYTES = 4 * 1024 * 1024;
