# Aggregator: multi-stage build, non-root runtime, data on a volume.
#   docker build -t aggregator .
#   docker run -d --name aggregator -p 5080:8080 -v aggregator-data:/data aggregator
# Put your feeds.json in the volume (/data/feeds.json; the image starts with the repository's).
# The database lives at /data/data/aggregator.db (storage.path is relative to feeds.json).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Aggregator.Core/Aggregator.Core.csproj src/Aggregator.Core/
COPY src/Aggregator/Aggregator.csproj src/Aggregator/
# ReadyToRun (precompiled code for the target architecture): about half the start-up time, see README "Measurements".
RUN dotnet restore src/Aggregator/Aggregator.csproj -a $TARGETARCH -p:PublishReadyToRun=true
COPY src/ src/
COPY samples/ samples/
RUN dotnet publish src/Aggregator/Aggregator.csproj -c Release -a $TARGETARCH --self-contained false -p:PublishReadyToRun=true --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The .NET images carry an unprivileged "app" user (uid 1654); the data volume belongs to it.
COPY --chown=app:app feeds.json /data/feeds.json
RUN mkdir -p /data/data && chown -R app:app /data
USER app
VOLUME ["/data"]
EXPOSE 8080
ENV AGGREGATOR_LOG_FORMAT=json DOTNET_gcServer=0
# SIGTERM stops polls (interrupted, awaited) and checkpoints the database within 8 s,
# inside Docker's default 10 s stop timeout.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "aggregator.dll"]
CMD ["serve", "--config", "/data/feeds.json", "--urls", "http://0.0.0.0:8080"]
