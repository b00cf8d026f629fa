using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Orders;

/// <summary>An order POST in flight, and what made its outcome uncertain (if anything).</summary>
internal sealed class OrderInFlightFeature(PlacedOrdersFeature placed)
{
    public PlacedOrdersFeature Placed { get; } = placed;

    /// <summary>Set when the exchange answered with a status that does not say whether the order exists.</summary>
    public (int Status, int? Code, byte[] Body)? Uncertain { get; set; }
}
