# KpRegistry: multi-stage build (SDK to build, ASP.NET runtime to run), non-root, data and
# certificates on volumes. tests/KpRegistry.IntegrationTests/DockerfileTests.cs builds it where a
# Docker engine answers (none runs on the project's build machines: there it is skipped, saying so).
# compose.yaml runs two instances over one SQL Server (docs/OPERATIONS.md).
#
#   docker build -t kpregistry .
#   docker run -p 7443:7443 -v kp-data:/var/lib/kpregistry -v /path/to/certs:/etc/kpregistry/certs:ro \
#     -e KPREG_KEK="$(cat registry.kek)" kpregistry
#
# Outside Development the registry makes nothing secret: mount server.crt, server.key and ca.crt
# (the client CA) into the certificates volume and give the key-encryption key in KPREG_KEK.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# npm restores the verification page's one script (jsQR) from its lockfile during the build.
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
COPY global.json Directory.Build.props Directory.Packages.props KpRegistry.sln ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/KpRegistry.Server/KpRegistry.Server.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /var/lib/kpregistry /etc/kpregistry/certs \
    && chown -R app:app /var/lib/kpregistry
USER app
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS=https://+:7443 \
    KpRegistry__DataDirectory=/var/lib/kpregistry \
    KpRegistry__CertificatesDirectory=/etc/kpregistry/certs
VOLUME ["/var/lib/kpregistry", "/etc/kpregistry/certs"]
EXPOSE 7443
# The standard gRPC health service, asked by the registry's own binary (no grpcurl in the image).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["dotnet", "KpRegistry.Server.dll", "--health-check"]
ENTRYPOINT ["dotnet", "KpRegistry.Server.dll"]
