# syntax=docker/dockerfile:1
# ovhflow's image: one image for the worker (default command), the HTTP API (`api`) and the simulator (`sim`).
# Multi-stage: the build stage compiles TypeScript and pre-builds the workflow bundle; the runtime stage holds only
# dist/ and the production dependencies, runs as the unprivileged `node` user, and never bundles at start.
ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# The postinstall script installs the Temporal CLI for `ovhflow dev` and the tests; an image never runs either.
ENV OVHFLOW_SKIP_TEMPORAL_CLI=1
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
# The vendored OVH API schemas: `credentials policy` derives the IAM actions from them (compiled into dist/spec).
COPY spec ./spec
# npm ci runs `prepare` = `npm run build`: tsc into dist/, then the workflow bundle into dist/workflow-bundle.js.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund \
 && test -s dist/workflow-bundle.js

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# No dev dependencies and no install scripts: nothing is compiled or downloaded at this stage.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY --from=build /app/dist ./dist
# The simulator's data (its CA, read by the workers in a trial) lives in a volume mounted here; the directory exists
# in the image so a fresh volume belongs to `node`.
RUN mkdir -p /var/lib/ovhflow/simulator && chown -R node:node /var/lib/ovhflow
USER node
# The pre-built bundle is the only workflow code a worker runs (see `ovhflow worker`).
CMD ["node", "bin/ovhflow.js", "worker"]
