"""HTTP around the GraphQL endpoint: guards (request log, token, one JSON error body), body size,
the response cache, exports, pages and health checks."""
