# One image for both processes: the API (default command) and the worker (compose overrides it).
# The browser pages are built in a Node stage (the same npm ci + npm run build as `make install`).
FROM node:20-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./
COPY docs/queries /app/docs/queries
RUN npm run build

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY workers ./workers
COPY --from=frontend /app/service/static ./service/static
RUN pip install --no-cache-dir .
EXPOSE 8000
# service.server is uvicorn with limits on clients: request heads within REQUEST_HEAD_SECONDS (10) and
# MAX_REQUEST_HEAD_BYTES (64 KB), idle keep-alive KEEP_ALIVE_SECONDS (5, --timeout-keep-alive), at most
# MAX_CONNECTIONS (1000, --limit-concurrency) connections or requests at once; bodies are bounded by the
# app (MAX_JSON_BYTES, MAX_UPLOAD_BYTES, MAX_BODY_SECONDS). See the README's "Limits".
CMD ["python", "-m", "service.server", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
