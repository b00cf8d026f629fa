using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TradeFinder.Gateway.Context;

internal sealed record ListenerMetadata(Listener Listener);
