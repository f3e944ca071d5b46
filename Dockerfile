# Multi-stage build of the `woow` server.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq-dev libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --product woow --static-swift-stdlib \
    && install -D .build/release/woow /out/woow

FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq5 libssl3 ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/woow --create-home woow
COPY --from=build /out/woow /usr/local/bin/woow
USER woow
ENV WOOW_HOST=0.0.0.0 WOOW_PORT=8069 WOOW_DATA_DIR=/var/lib/woow
EXPOSE 8069
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD curl -fsS http://127.0.0.1:8069/health || exit 1
ENTRYPOINT ["woow"]
CMD ["serve"]
