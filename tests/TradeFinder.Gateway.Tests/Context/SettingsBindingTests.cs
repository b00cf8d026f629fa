using Microsoft.Extensions.Configuration;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Tests.Context;

/// <summary>Settings that are choices bind to enums in their documented spelling, and a bad value stops the start naming the setting.</summary>
public sealed class SettingsBindingTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Theory]
    [InlineData("refuse-in-live", "RefuseInLive")]
    [InlineData("RefuseInLive", "RefuseInLive")]
    [InlineData("warn", "Warn")]
    public void KebabCaseChoice_BindsToItsEnum(string value, string expectedName)
    {
        var expected = Enum.Parse<UnrestrictedIpPolicy>(expectedName);
        var options = BindKeys(Settings(("Gateway:Keys:UnrestrictedIp", value)));

        Assert.Equal(expected, options.UnrestrictedIp);
    }

    [Theory]
    [InlineData("Gateway:Keys:Provider", "consul")]
    [InlineData("Gateway:Keys:Provider", "1")]
    [InlineData("Gateway:Keys:UnrestrictedIp", "allow")]
    public void UnknownChoice_RefusesTheStart_NamingTheSettingAndTheChoices(string key, string value)
    {
        var ex = Assert.Throws<GatewayStartupException>(() =>
            BindKeys(Settings((key, value))));

        Assert.Contains(key, ex.Message);
        Assert.Contains("is not one of", ex.Message);
    }

    [Fact]
    public void EveryFailure_IsReportedAtOnce()
    {
        var ex = Assert.Throws<GatewayStartupException>(() => ValidatedOptions.BindNow(
            AuditOptions.Section,
            () => Settings(("Gateway:Audit:Store", "postgres"), ("Gateway:Audit:RetentionDays", "0")).GetSection(AuditOptions.Section).Get<AuditOptions>(),
            new AuditOptionsValidator(), new AuditOptionsCustomValidator()));

        Assert.Contains("RetentionDays", ex.Message);
        Assert.Contains("ConnectionString is required", ex.Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    public void AnAuditGatheringWindowOutsideItsRange_RefusesTheStart_NamingTheSetting(string value)
    {
        // Audit records held for seconds would be a process crash's loss and a reader's wait: at most 100 ms.
        var settings = Settings(("Gateway:Audit:GatherMilliseconds", value));

        var ex = Assert.Throws<GatewayStartupException>(() => ValidatedOptions.BindNow(
            AuditOptions.Section, () => settings.GetSection(AuditOptions.Section).Get<AuditOptions>(), new AuditOptionsValidator(), new AuditOptionsCustomValidator()));

        Assert.Contains("GatherMilliseconds", ex.Message);
    }

    [Fact]
    public void KeySets_AreValidatedOneByOne_AndAcrossEachOther()
    {
        var ex = Assert.Throws<GatewayStartupException>(() => ValidatedOptions.BindNow(
            KeysOptions.Section,
            () => Settings(
                ("Gateway:Keys:Sets:0:Name", "main"), ("Gateway:Keys:Sets:0:Mode", "live"),
                ("Gateway:Keys:Sets:1:Name", "main"), ("Gateway:Keys:Sets:1:Mode", "live"),
                ("Gateway:Keys:Sets:2:Name", "Bad Name"), ("Gateway:Keys:Sets:2:Mode", "paper")).GetSection(KeysOptions.Section).Get<KeysOptions>(),
            new KeysOptionsValidator(), new KeysOptionsCustomValidator()));

        Assert.Contains("two sets named 'main'", ex.Message);
        Assert.Contains("Name", ex.Message);
        Assert.Contains("Mode", ex.Message);
    }

    private static KeysOptions BindKeys(IConfiguration settings) =>
        ValidatedOptions.BindNow(KeysOptions.Section, () => settings.GetSection(KeysOptions.Section).Get<KeysOptions>(), new KeysOptionsValidator());
}
