# LeadSync: one image for every role (leadsync fold | writer marketo | writer salesforce | sandbox | dev-cluster).
#
#   docker build -t leadsync:dev .
#   docker run --rm leadsync:dev --help
#
# Both stages are Debian 12 (bookworm): the binary links the librdkafka it was built against (2.0.2, whose mock
# cluster header the CRdKafka target includes) and libcurl (FoundationNetworking). The Swift runtime is linked in
# statically, so the runtime stage needs no toolchain.

# ---- build ----------------------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build

RUN apt-get update \
    && apt-get install -y --no-install-recommends librdkafka-dev libcurl4-openssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Dependencies first: this layer is reused while only the sources change.
# (Package.resolved is optional: the glob copies it when the checkout has one.)
COPY Package.swift Package.resolve[d] ./
RUN swift package resolve

COPY Sources ./Sources
# Sources/Topics/Definitions links to topics/: the definitions are compiled into the binary.
COPY topics ./topics
# Package.swift declares the test targets: their directories must exist, though only leadsync is built.
COPY Tests ./Tests
RUN swift build -c release --product leadsync --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/leadsync" /out/leadsync

# ---- runtime --------------------------------------------------------------------------------------------------
FROM debian:bookworm-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends librdkafka1 libcurl4 libstdc++6 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 leadsync \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin leadsync \
    && install -d -o 10001 -g 10001 /var/lib/leadsync

COPY --from=build /out/leadsync /usr/local/bin/leadsync
# The binary carries the topic definitions; the message schemas (topics/schemas) ship for reference.
COPY topics /usr/share/leadsync/topics

# The numeric user, so that Kubernetes' runAsNonRoot can verify it without a runAsUser.
USER 10001:10001
WORKDIR /var/lib/leadsync
# /metrics, /healthz, /readyz (observability.metricsAddress).
EXPOSE 9464

ENTRYPOINT ["/usr/local/bin/leadsync"]
CMD ["--help"]
