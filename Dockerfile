# argmed service image: multi-stage (build with dev dependencies, run with production ones only), non-root.
#   docker build -t argmed .
#   docker run -p 3000:3000 -e ARGMED_API_KEYS=change-me argmed
# Without ARGMED_API_KEYS the server listens on 127.0.0.1 inside the container only (unreachable from
# outside): set keys to publish it. Data (SQLite by default) lives in the /data volume.
# Node 24 is the current LTS; the code itself also runs on Node 20.11+ (package.json "engines"), which CI uses.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Toolchain for native modules (better-sqlite3) when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATABASE_URL=sqlite:/data/argmed.db
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemes ./schemes
COPY --from=build /app/examples ./examples
# The graph page's own script and stylesheet are served from the source tree.
COPY --from=build /app/src/view/assets ./src/view/assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/cli/main.js", "serve"]
