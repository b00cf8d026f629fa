# syntax=docker/dockerfile:1
# The standalone paper exchange (a Binance-faithful USDⓈ-M simulator). Build from the repository root:
#   docker build -f infra/docker/PaperExchange.Dockerfile -t tradefinder/paper-exchange .
# Its accepted key comes at run time (PAPER_API_KEY / PAPER_API_SECRET_FILE or PAPER_API_SECRET), never at build time.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.401-noble
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0.12-noble-chiseled

FROM ${SDK_IMAGE} AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
COPY Directory.Build.props Directory.Packages.props global.json nuget.config BannedSymbols.txt .editorconfig ./
COPY shared/TradeFinder.Contracts/*.csproj shared/TradeFinder.Contracts/packages.lock.json shared/TradeFinder.Contracts/
COPY gateway/TradeFinder.PaperExchange/*.csproj gateway/TradeFinder.PaperExchange/packages.lock.json gateway/TradeFinder.PaperExchange/
RUN dotnet restore gateway/TradeFinder.PaperExchange/TradeFinder.PaperExchange.csproj -r linux-x64 --locked-mode
COPY shared/ shared/
COPY gateway/TradeFinder.PaperExchange/ gateway/TradeFinder.PaperExchange/
RUN dotnet publish gateway/TradeFinder.PaperExchange/TradeFinder.PaperExchange.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true --no-restore -o /app \
    && mkdir -p /state

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY --from=build --chown=$APP_UID:$APP_UID /state /state
USER $APP_UID
ENV PAPER_STATE=/state/state.json DOTNET_EnableDiagnostics=0 DOTNET_DbgEnableMiniDump=0
VOLUME ["/state"]
EXPOSE 9900
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["dotnet", "TradeFinder.PaperExchange.dll", "health"]
ENTRYPOINT ["dotnet", "TradeFinder.PaperExchange.dll", "--urls", "http://0.0.0.0:9900"]
