# policypack's web app in a container: `docker build -t policypack .`
# The configs and the output folder live on a volume (see the README,
# "For practice managers: the web app").
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data policypack
COPY --from=build /src/target/release/policypack /usr/local/bin/policypack
USER policypack
WORKDIR /data
EXPOSE 8080
ENTRYPOINT ["policypack"]
CMD ["serve", "/data/practice-configs", "-o", "/data/out", "--addr", "127.0.0.1:8080"]
