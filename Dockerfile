# Gauntlet in a container: build the fat jar, run it on a JRE as a non-root user.
#   docker build -t gauntlet .
#   docker run -p 8080:8080 -v gauntlet-data:/data -e GAUNTLET_ADMIN_PASSWORD=... gauntlet

# --- build -------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /build
# dependencies first, so source edits reuse the cached layer
COPY pom.xml conf.json ./
RUN mvn -B -q dependency:go-offline || true
COPY src ./src
COPY webroot ./webroot
RUN mvn -B -DskipTests package

# --- run ---------------------------------------------------------------------------------
# Ubuntu-based: the image ships curl (and wget), used by the health check
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 gauntlet \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home gauntlet \
 && mkdir -p /app /data \
 && chown 10001:10001 /data
WORKDIR /app
COPY --from=build /build/target/gauntlet.jar /app/gauntlet.jar
# the JVM flags the README starts Gauntlet with and bench/execution.sh measures
COPY jvm.options /app/jvm.options
# the ahead-of-time cache, trained on this image's own JVM and jar (synthetic work on a temporary
# data folder, deleted before the layer is written); see the README's "Warm start"
RUN java @/app/jvm.options -XX:AOTCacheOutput=/app/gauntlet.aot -Xlog:aot=error -Xlog:cds=error -jar /app/gauntlet.jar train
ENV GAUNTLET_DATA_DIR=/data \
    GAUNTLET_HTTP_HOST=0.0.0.0 \
    GAUNTLET_HTTP_PORT=8080
VOLUME /data
EXPOSE 8080
USER 10001
# start-period: room for a slow start, and for the optional warm-up (orchestrator.warmupSeconds)
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/ready || exit 1
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:AOTCache=/app/gauntlet.aot", "-jar", "/app/gauntlet.jar"]
