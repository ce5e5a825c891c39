# Portico's image: the README's commands (npm ci, npm run build), then `node bin/portico.js serve`.
# Nothing is downloaded but npm packages and one Debian package: better-sqlite3 is compiled from its source with the
# compilers and the Node.js headers of the node:20 image, instead of fetching a prebuilt binary; Debian's
# fonts-ipafont-gothic draws Japanese PDFs (docs/languages.md). See docs/deployment.md.

FROM node:20-bookworm AS build
WORKDIR /app
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# Only what the server needs at run time stays.
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
# The CJK font of Japanese PDFs (no npm package ships one).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-ipafont-gothic \
    && rm -rf /var/lib/apt/lists/*
# The sources come too: bin/portico.js runs the build (dist/) while it is newer than them.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/src ./src
COPY --from=build /app/dist ./dist
# The code belongs to root and cannot be changed by the server; it writes only to DATA_DIR (mail files, backups).
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# `serve` stops on SIGTERM: in-flight requests finish, then the database closes (within 25 s).
STOPSIGNAL SIGTERM
CMD ["node", "bin/portico.js", "serve", "--role", "all"]
