using System.Globalization;
using System.Text.Json;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>One position on the account as the account read shows it.</summary>
internal sealed record MarginedPosition(decimal Amount, decimal Mark, bool Isolated, decimal IsolatedRatio);

/// <summary>
/// The margin ratios in an account read (<c>GET /fapi/v3/account</c>, "Account Information V3"): the cross positions
/// together (their maintenance margin ÷ cross wallet balance plus cross unrealized PnL) and each isolated position alone
/// (its maintenance margin ÷ its isolated wallet plus its unrealized PnL). A margin balance at or below zero with
/// margin to keep is a ratio of 1 or more (liquidation).
/// </summary>
internal sealed record AccountMargins(decimal CrossRatio, IReadOnlyDictionary<(string Symbol, string PositionSide), MarginedPosition> Positions)
{
    /// <summary>The ratios, or null when <paramref name="account"/> is not an account (an error answer).</summary>
    public static AccountMargins? Read(JsonElement account)
    {
        if (account.ValueKind != JsonValueKind.Object || !account.TryGetProperty("positions", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var crossMaintenance = 0m;
        var positions = new Dictionary<(string, string), MarginedPosition>();
        foreach (var p in list.EnumerateArray())
        {
            var amount = Number(p, "positionAmt");
            if (amount == 0 || p.GetProperty("symbol").GetString() is not { } symbol)
            {
                continue;
            }

            var maintenance = Number(p, "maintMargin");
            var isolatedWallet = Number(p, "isolatedWallet");
            var isolated = isolatedWallet != 0;
            if (!isolated)
            {
                crossMaintenance += maintenance;
            }

            var side = p.TryGetProperty("positionSide", out var s) ? s.GetString() ?? "BOTH" : "BOTH";
            positions[(symbol, side)] = new MarginedPosition(
                amount, Number(p, "notional") / amount, isolated, isolated ? Ratio(maintenance, isolatedWallet + Number(p, "unrealizedProfit")) : 0);
        }

        var crossBalance = Number(account, "totalCrossWalletBalance") + Number(account, "totalCrossUnPnl");
        return new AccountMargins(Ratio(crossMaintenance, crossBalance), positions);
    }

    private static decimal Ratio(decimal maintenance, decimal balance) =>
        maintenance <= 0 ? 0 : balance <= 0 ? 1 : maintenance / balance;

    private static decimal Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : 0;
}
