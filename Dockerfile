# hazetrace serve in a container (docs/serve.md, "Container").
#   docker build -t hazetrace .
#   docker volume create hazestate
#   # one writer (publish on the host's loopback only; put a TLS proxy in front for anything else):
#   docker run -d --name ht-writer -v hazestate:/state -p 127.0.0.1:8787:8787 -e HAZETRACE_TOKEN=change-me-please hazetrace
#   # any number of read-only readers on the same volume, mounted read-only:
#   docker run -d --name ht-reader1 -v hazestate:/state:ro -p 127.0.0.1:8788:8787 hazetrace --host 0.0.0.0 --port 8787 --state /state --read-only

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY data ./data
RUN mkdir -p /state && chown node:node /state
USER node
VOLUME ["/state"]
EXPOSE 8787
# Liveness: /health; an orchestrator's readiness probe should use GET /ready (503 while loading or stopping).
HEALTHCHECK --interval=15s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:8787/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Inside the container the server must listen on the container's interface for the published port to reach it;
# what is reachable from outside is decided by `-p` (above: the host's loopback only).
ENTRYPOINT ["node", "dist/cli/main.js", "serve"]
CMD ["--host", "0.0.0.0", "--port", "8787", "--state", "/state"]
