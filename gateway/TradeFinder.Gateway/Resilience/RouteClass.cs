using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Resilience;

/// <summary>Requests that fail together: a sick matching engine should not stop market data, and the reverse.</summary>
internal enum RouteClass
{
    MarketData,
    Account,
    Trading,
}
