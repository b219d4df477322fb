# syntax=docker/dockerfile:1
# mqtt-diagnostics-exporter: multi-stage build, production dependencies only, runs as `node`.
ARG NODE_VERSION=24

# 1. Compile TypeScript and bundle the CLI (esbuild) with the full (dev) dependency set.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the root `prepare` script would build before the sources are copied; it also
# leaves the devDependency `node` (the Node 24 that `npm install` brings outside an image) inert.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.mjs ./scripts/
COPY src ./src
RUN npm run build

# 2. Production dependencies only. aws-crt ships its native binding prebuilt (its install script
#    only checks for it), so skipping scripts here loses nothing.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
#    The demo (the default command) also needs aedes and mqtt-packet, development dependencies so
#    that library users do not install them: the locked versions go beside dist/ for the demo alone.
#    Installed from inside demo/ (its own package.json), not with --prefix: --prefix also moves
#    npm's global config, and with it the registry settings the build may be given.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && mkdir demo && echo "{}" > demo/package.json && cd demo && npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
      $(node -p "['aedes', 'mqtt-packet'].map((n) => n + '@' + require('../package-lock.json').packages['node_modules/' + n].version).join(' ')") \
 && npm cache clean --force

# 3. Runtime: compiled output + production node_modules, non-root.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="mqtt-diagnostics-exporter" \
      org.opencontainers.image.description="Tells why MQTT connections to AWS IoT Core drop: diagnostics collector, Prometheus/OpenTelemetry exporter and diagnosis for aws-iot-device-sdk-v2 clients." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.documentation="README.md"
ENV NODE_ENV=production
# The slim image has no CA bundle, and aws-crt trusts the system store: without ca-certificates a TLS
# connection to AWS IoT Core fails unless MQTT_CA_FILE / tls.ca_file names a CA.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/demo/node_modules ./dist/node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/cli ./dist/cli
COPY package.json ./
# The journal lives in /app/data (a volume in docker-compose.yml); the `node` user owns it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 9883
# node, not curl: the slim image has no curl, and the check must not add packages.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9883/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The service handles SIGTERM itself (stops clients, flushes the journal, exits 0); exec form
# keeps node as PID 1 so the signal reaches it. docker-compose adds an init for reaping.
STOPSIGNAL SIGTERM
# Memory (docs/benchmarks.md, "1,000 connections"): V8's young generation held to 1 MB semi-spaces
# (under a scrape's garbage it grows to 16 MB and keeps those pages after a GC: about 50 MB of RSS
# at 1,000 connections, for no CPU cost measured); two malloc arenas instead of one per thread
# (aws-crt's event loops, libuv's pool: about 10 MB); and a fixed mmap threshold of 128 KB, so that
# the exposition's megabytes and their gzip are always mapped on their own and unmapped when freed
# (glibc otherwise raises its threshold after the first such free and serves them from its main
# arena, which then grew by 25 MB over 10 broker restarts). Override GLIBC_TUNABLES to undo the last two.
# V8's memory saver mode: the heap pages a GC frees are kept in a pool, resident, until a
# memory-reducing GC, which V8 runs only when the process allocates little (a service scraped
# every second beside 1,000 clients never does), so RSS kept its highest heap since start (up to
# 30 MB more after a broker restart's burst); in memory saver mode its major GCs give them back,
# for about 20% more of the service's CPU (10.3 -> 12.6 s over 10 restarts of 1,000 connections).
ENV GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072
ENTRYPOINT ["node", "--max-semi-space-size=1", "--memory-saver-mode", "dist/cli/main.js"]
CMD ["serve"]
