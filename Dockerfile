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
CMD ["uvicorn", "service.app:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
