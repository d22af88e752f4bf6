# 3cx-1c-bridge container image. How to build and run it: docs/ru/operations.md (docs/en/operations.md).
#
#   docker build -t 3cx-1c-bridge .
#   docker run -d --name 3cx-1c-bridge --env-file /etc/3cx-1c-bridge.env -p 8080:8080 \
#     -v 3cx-1c-bridge-data:/data --stop-timeout 30 --restart unless-stopped 3cx-1c-bridge
#   docker run --rm --env-file /etc/3cx-1c-bridge.env 3cx-1c-bridge check   # any command: check, template …
#   docker run --rm -p 127.0.0.1:8080:8080 3cx-1c-bridge demo --host 0.0.0.0   # the demo, on the host's loopback

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, compile TypeScript, then drop the development dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- run: compiled code and production dependencies only, as a non-root user ----
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# The demo base, read by the `emulator` and `demo` commands (serve does not need it).
COPY --from=build /src/fixtures/demo-base ./fixtures/demo-base
# The call-journal queue: keep it on a volume so that calls accepted from 3CX survive a new container.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
# The image's own unprivileged user (uid 1000).
USER node
EXPOSE 8080
# On SIGTERM the proxy finishes requests in flight (up to 10 s) and closes the journal queue. `docker stop`
# waits only 10 s before SIGKILL: run with --stop-timeout 30 (compose: stop_grace_period: 30s).
STOPSIGNAL SIGTERM
# /health answers while the process is alive; /ready (1C reachable) is for load balancers, not for restarts.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
