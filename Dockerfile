# syntax=docker/dockerfile:1
#
# Two small images from one build: `--target connector` (the default, last
# stage) runs okta-connector, `--target sim` runs the Okta simulator. Both
# are static binaries on scratch, running as an unprivileged user.

FROM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# timetzdata embeds the zone database, which scratch lacks.
ENV CGO_ENABLED=0
RUN go build -trimpath -tags timetzdata -ldflags="-s -w" \
        -o /out/okta-connector ./cmd/okta-connector \
 && go build -trimpath -tags timetzdata -ldflags="-s -w" \
        -o /out/okta-sim ./cmd/okta-sim \
 && mkdir -p /out/data

FROM scratch AS sim
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/okta-sim /okta-sim
USER 65532:65532
EXPOSE 8089
ENTRYPOINT ["/okta-sim"]

FROM scratch AS connector
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/okta-connector /okta-connector
# A named volume mounted on /data takes this owner, so the checkpoint files
# are writable by the unprivileged user.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENTRYPOINT ["/okta-connector"]
CMD ["run"]
