# syntax=docker/dockerfile:1
# varco container image: Debian 12 throughout, everything from Debian packages (as scripts/lib.sh
# builds it), Bootstrap Italia from the npm registry pinned by web/package-lock.json.
#
#   docker build -t varco .
#   docker run --rm -p 8080:8080 -v /path/to/etc-varco:/etc/varco:ro \
#       -v varco-audit:/var/lib/varco/audit varco
#
# The image holds the varco binary, Bootstrap Italia's dist/ and varco's own assets; the
# configuration, keys, directory, IdP metadata and legal texts are the operator's and are mounted
# at /etc/varco (see docs/deployment.md; docker-compose.yml runs the whole demo this way).

ARG DEBIAN_IMAGE=debian:bookworm-slim

# --- web assets: Bootstrap Italia (runtime dependencies only, not the browser-test tools) -------
FROM ${DEBIAN_IMAGE} AS web
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm brotli \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && test -f node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css
# The pages' script (the Bootstrap Italia components they use, bundled by esbuild), then the brotli
# and gzip forms of the text assets, served to browsers that accept them.
COPY scripts/compress-static /usr/local/bin/compress-static
COPY gateway/portal/static/ static/
COPY web/ui/ ui/
RUN npm install --no-save --no-audit --no-fund esbuild@0.24.2 \
    && node_modules/.bin/esbuild ui/varco-ui.js --bundle --minify --format=iife --target=es2020 \
       --legal-comments=none --outfile=static/varco-ui.js \
    && compress-static node_modules/bootstrap-italia/dist node_modules/spid-smart-button/dist/img static

# --- build: the -dev packages of scripts/lib.sh that the varco target needs (no tests, no lint) --
FROM ${DEBIAN_IMAGE} AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       build-essential cmake pkg-config \
       libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev \
       libssl-dev libxml2-dev libxmlsec1-dev libxmlsec1-openssl \
       libhiredis-dev libyaml-cpp-dev libspdlog-dev zlib1g-dev libzstd-dev libkainjow-mustache-dev \
       libgoogle-perftools-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# One COPY per source folder of CMakeLists.txt (scripts/check-packaging checks that every
# add_subdirectory outside tests/ is copied), so edits to docs or tests do not rebuild.
COPY CMakeLists.txt ./
COPY base/ base/
COPY conf/ conf/
COPY jose/ jose/
COPY federation/ federation/
COPY oidc/ oidc/
COPY redis/ redis/
COPY session/ session/
COPY directory/ directory/
COPY policies/ policies/
COPY saml/ saml/
COPY gateway/ gateway/
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DVARCO_TESTS=OFF \
    && cmake --build build -j"$(nproc)" --target varco \
    && strip build/varco \
    && build/varco --version

# --- runtime: shared libraries, the binary, static files; nothing else --------------------------
FROM ${DEBIAN_IMAGE} AS runtime
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       ca-certificates \
       libboost-url1.81.0 libboost-json1.81.0 libssl3 libxml2 libxmlsec1 libxmlsec1-openssl \
       libhiredis0.14 libyaml-cpp0.7 libspdlog1.10 libfmt9 zlib1g libzstd1 libtcmalloc-minimal4 \
    && rm -rf /var/lib/apt/lists/*
# A fixed UID/GID, so volumes (audit log, keys) can be prepared with the right owner on the host.
ARG VARCO_UID=10001
RUN groupadd --system --gid "${VARCO_UID}" varco \
    && useradd --system --uid "${VARCO_UID}" --gid varco --home-dir /var/lib/varco \
       --no-create-home --shell /usr/sbin/nologin varco \
    && install -d -o root -g varco -m 0750 /etc/varco \
    && install -d -o varco -g varco -m 0750 /var/lib/varco /var/lib/varco/audit
COPY --from=build /src/build/varco /usr/bin/varco
# portal.static_root must hold bootstrap-italia/dist; portal.assets_dir is gateway/portal/static.
COPY --from=web /web/node_modules/bootstrap-italia/dist /usr/share/varco/node_modules/bootstrap-italia/dist
COPY --from=web /web/node_modules/bootstrap-italia/LICENSE /web/node_modules/bootstrap-italia/package.json \
     /usr/share/varco/node_modules/bootstrap-italia/
# AgID's SPID button graphics (/static/spid/: the "Entra con SPID" icon, the IdPs' logos).
COPY --from=web /web/node_modules/spid-smart-button/dist/img /usr/share/varco/node_modules/spid-smart-button/dist/img
COPY --from=web /web/static/ /usr/share/varco/static/
COPY LICENSE /usr/share/doc/varco/LICENSE
COPY conf/examples/ /usr/share/doc/varco/examples/

USER varco:varco
WORKDIR /var/lib/varco
EXPOSE 8080
# /healthz without curl in the image: bash's /dev/tcp. VARCO_HEALTH_PORT follows the listener port
# of the mounted configuration (8080 in conf/examples and deploy/compose).
ENV VARCO_HEALTH_PORT=8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${VARCO_HEALTH_PORT} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# SIGTERM drains in-flight requests (server.timeouts.drain); give `docker stop -t` more than that.
STOPSIGNAL SIGTERM
ENTRYPOINT ["varco"]
CMD ["serve", "--config", "/etc/varco/varco.yaml"]
