using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Tests.Routing;

public sealed class UsdmEndpointsTests
{
    [Theory]
    [InlineData("GET", "/fapi/v1/time", SecurityType.None)]
    [InlineData("GET", "/fapi/v2/account", SecurityType.UserData)]
    [InlineData("POST", "/fapi/v1/order", SecurityType.Trade)]
    [InlineData("DELETE", "/fapi/v1/allOpenOrders", SecurityType.Trade)]
    [InlineData("PUT", "/fapi/v1/listenKey", SecurityType.UserStream)]
    public void Find_CataloguedEndpoint_GivesSecurityType(string method, string path, SecurityType security)
    {
        Assert.Equal(security, UsdmEndpoints.Find(method, path)?.Security);
    }

    [Theory]
    [InlineData("POST", "/sapi/v1/capital/withdraw/apply")]
    [InlineData("POST", "/sapi/v1/futures/transfer")]
    [InlineData("POST", "/sapi/v1/asset/transfer")]
    [InlineData("GET", "/api/v3/account")]
    [InlineData("GET", "/fapi/v1/../../sapi/v1/capital/config/getall")]
    [InlineData("GET", "/FAPI/V1/TIME")]
    [InlineData("GET", "/fapi/v1/time/")]
    [InlineData("PATCH", "/fapi/v1/order")]
    [InlineData("GET", "/fapi/v1/listenKey")]
    public void Find_AnythingNotCatalogued_IsNotFound(string method, string path)
    {
        Assert.Null(UsdmEndpoints.Find(method, path));
    }

    [Fact]
    public void All_NoEndpointCanMoveFundsOffTheFuturesAccount()
    {
        Assert.All(UsdmEndpoints.All, e =>
        {
            Assert.StartsWith("/fapi/", e.Path);
            Assert.DoesNotContain("withdraw", e.Path, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("transfer", e.Path, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void All_EveryEntryHasAKnownScopeAndNonNegativeWeight()
    {
        string[] scopes = [ScopeNames.MarketRead, ScopeNames.AccountRead, ScopeNames.Trade, ScopeNames.TradeLeverage, ScopeNames.TradeMargin, ScopeNames.TradeCountdown, ScopeNames.UserStream];
        Assert.All(UsdmEndpoints.All, e =>
        {
            Assert.Contains(e.Scope, scopes);
            Assert.True(e.Weight >= 0);
        });
        Assert.Equal(UsdmEndpoints.All.Count, UsdmEndpoints.All.Select(e => (e.Method, e.Path)).Distinct().Count());
    }
}
