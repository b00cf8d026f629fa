# syntax=docker/dockerfile:1
# The sample strategy bots. Build from the repository root:
#   docker build -f infra/docker/Bot.Dockerfile -t tradefinder/sample-bot .
# A bot holds no exchange key (it refuses to start if it finds one); its client certificate is mounted at run time.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.401-noble
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled

FROM ${SDK_IMAGE} AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
COPY Directory.Build.props Directory.Packages.props global.json nuget.config BannedSymbols.txt .editorconfig ./
COPY shared/TradeFinder.Contracts/*.csproj shared/TradeFinder.Contracts/packages.lock.json shared/TradeFinder.Contracts/
COPY bots/TradeFinder.Bots.Client/*.csproj bots/TradeFinder.Bots.Client/packages.lock.json bots/TradeFinder.Bots.Client/
COPY bots/TradeFinder.Bots.Samples/*.csproj bots/TradeFinder.Bots.Samples/packages.lock.json bots/TradeFinder.Bots.Samples/
RUN dotnet restore bots/TradeFinder.Bots.Samples/TradeFinder.Bots.Samples.csproj -r linux-x64 --locked-mode
COPY shared/ shared/
COPY bots/ bots/
RUN dotnet publish bots/TradeFinder.Bots.Samples/TradeFinder.Bots.Samples.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true --no-restore -o /app

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
ENV DOTNET_EnableDiagnostics=0 DOTNET_DbgEnableMiniDump=0
ENTRYPOINT ["dotnet", "TradeFinder.Bots.Samples.dll"]
