/** Reported by /health, the OpenAPI document and the Canvas User-Agent. */
export const VERSION = '0.1.0';
