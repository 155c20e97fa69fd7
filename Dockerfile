# youthvoice in a container: build on Debian 12, run on a slim Debian 12 as a
# non-root user, data folder as a volume.  Terminate TLS in a reverse proxy in
# front (Debian's civetweb cannot do TLS); the server listens on plain HTTP.
#
#   docker build -t youthvoice .
#   docker run --rm -it -v youthvoice-data:/data youthvoice survey-server keygen --data /data
#   docker run -p 127.0.0.1:8080:8080 -v youthvoice-data:/data youthvoice
#
# The key first: a container has no terminal to show a generated passphrase
# on, and serve never puts one in a log, so with no key it serves pages but
# takes no answers (503) until keygen has been run (docker exec -it works
# too; no restart needed).  keygen asks for the passphrase twice, unechoed.

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential libcivetweb-dev libsqlite3-dev libpq-dev libsodium-dev libcjson-dev libpcre2-dev \
      libqrencode-dev liboath-dev libstemmer-dev libxlsxwriter-dev libgfshare-dev libglpk-dev libutf8proc-dev \
      nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY core core
COPY forms forms
COPY survey-server survey-server
COPY export export
# libsodium's JavaScript build for kiosk pages and the sentence model for
# theme suggestions: npm ci from vendor/'s lock file, unless `make` already
# fetched them into forms/static/vendor and vendor/model before the build
# (the stamp is newer than the lock file): then no registry is needed.
COPY vendor vendor
RUN make programs

FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcivetweb1 libsqlite3-0 libpq5 libsodium23 libcjson1 libpcre2-8-0 libqrencode4 liboath0 libstemmer0d \
      libxlsxwriter4 libgfshare2 libglpk40 libutf8proc2 curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /data --shell /usr/sbin/nologin youthvoice \
 && mkdir -p /data /app && chown youthvoice:youthvoice /data
COPY --from=build /src/build/bin/survey-server /src/build/bin/survey-export /usr/local/bin/
COPY --from=build /src/forms/consultations.json /src/forms/taxonomy.json /app/forms/
COPY --from=build /src/forms/surveys /app/forms/surveys
COPY --from=build /src/forms/i18n /app/forms/i18n
COPY --from=build /src/forms/static /app/forms/static
COPY --from=build /src/vendor/model /app/vendor/model
USER youthvoice
WORKDIR /app
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
# Inside the container it must listen on all interfaces for the port mapping;
# publish it on the host's loopback or behind the proxy only.
CMD ["survey-server", "serve", "--data", "/data", "--forms", "/app/forms", "--listen", "0.0.0.0:8080"]
